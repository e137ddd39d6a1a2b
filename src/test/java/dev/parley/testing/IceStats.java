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
    public static List<String> selectedPairTypes(Page page, String pcExpression) {
        return selectedPair(page, pcExpression, "candidateType");
    }

    /** Transport protocols ({@code udp}, {@code tcp}) of the selected pair's candidates, local then remote. */
    public static List<String> selectedPairProtocols(Page page, String pcExpression) {
        return selectedPair(page, pcExpression, "protocol");
    }

    @SuppressWarnings("unchecked")
    private static List<String> selectedPair(Page page, String pcExpression, String candidateField) {
        return (List<String>) page.evaluate("""
                async () => {
                  const stats = await (%s).getStats();
                  let pairId;
                  stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
                  const pair = stats.get(pairId);
                  return [stats.get(pair.localCandidateId).%s, stats.get(pair.remoteCandidateId).%s];
                }
                """.formatted(pcExpression, candidateField, candidateField));
    }
}
