package dev.parley.testing;

import com.microsoft.playwright.Page;
import java.util.List;

/** What getStats says about an RTCPeerConnection's ICE, read from a page. */
public final class IceStats {
    private IceStats() {}

    /**
     * Candidate types ({@code host}, {@code srflx}, {@code relay}) of the selected pair, local then
     * remote, of the RTCPeerConnection that {@code pcExpression} evaluates to in the page.
     */
    @SuppressWarnings("unchecked")
    public static List<String> selectedPairTypes(Page page, String pcExpression) {
        return (List<String>) page.evaluate("""
                async () => {
                  const stats = await (%s).getStats();
                  let pairId;
                  stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
                  const pair = stats.get(pairId);
                  return [stats.get(pair.localCandidateId).candidateType, stats.get(pair.remoteCandidateId).candidateType];
                }
                """.formatted(pcExpression));
    }
}
