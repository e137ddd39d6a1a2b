package dev.parley.sfu;

/** What a track carries; decides codecs, clock rate and feedback. */
enum MediaKind {
    AUDIO("audio", 48_000),
    VIDEO("video", 90_000);

    final String sdpName;
    final int clockRate;

    MediaKind(String sdpName, int clockRate) {
        this.sdpName = sdpName;
        this.clockRate = clockRate;
    }

    static MediaKind of(String sdpMedia) {
        return switch (sdpMedia) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> null;
        };
    }
}
