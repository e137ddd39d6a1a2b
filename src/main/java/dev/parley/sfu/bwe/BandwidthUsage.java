package dev.parley.sfu.bwe;

/** The over-use detector's signal (draft-ietf-rmcat-gcc-02 §5.4). */
enum BandwidthUsage {
    NORMAL,
    UNDERUSING,
    OVERUSING
}
