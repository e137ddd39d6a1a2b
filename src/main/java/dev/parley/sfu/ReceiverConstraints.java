package dev.parley.sfu;

import java.util.List;
import java.util.Map;

/**
 * What a subscriber wants forwarded: per video track the largest frame height it renders (its
 * tile size; 0 = do not send), a default for tracks not named, the tracks or peers it has on
 * stage (pinned or spotlighted: served first), and its last-N (at most that many videos).
 *
 * @param maxHeight        track id → max frame height in pixels
 * @param defaultMaxHeight for tracks not in {@code maxHeight}
 * @param onStage          track ids or peer ids served before everyone else, in order
 * @param lastN            most videos forwarded at once
 */
public record ReceiverConstraints(Map<String, Integer> maxHeight, int defaultMaxHeight, List<String> onStage, int lastN) {
    /** Unconstrained resolution, last-N {@value #DEFAULT_LAST_N} (the group app's 16 tiles). */
    public static final int DEFAULT_LAST_N = 16;
    public static final ReceiverConstraints DEFAULT = new ReceiverConstraints(Map.of(), Integer.MAX_VALUE, List.of(), DEFAULT_LAST_N);

    public ReceiverConstraints {
        maxHeight = Map.copyOf(maxHeight);
        onStage = List.copyOf(onStage);
        if (defaultMaxHeight < 0 || lastN < 0) throw new IllegalArgumentException("negative constraint");
    }

    int maxHeightOf(Producer producer) {
        return maxHeight.getOrDefault(producer.id, defaultMaxHeight);
    }

    /** Position on stage (0 first), or -1 when neither the track nor its owner is on stage. */
    int stagePosition(Producer producer) {
        for (int i = 0; i < onStage.size(); i++) {
            String id = onStage.get(i);
            if (id.equals(producer.id) || id.equals(producer.owner.peerId)) return i;
        }
        return -1;
    }
}
