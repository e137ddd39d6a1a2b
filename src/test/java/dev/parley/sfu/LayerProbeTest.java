package dev.parley.sfu;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Measurement probe (not a test of behaviour): prints the publisher's per-rid stats for ~20 s. */
@Tag("browser")
class LayerProbeTest {
    static final String STATS = """
            async () => {
              const pc = window.room.sfu?.publishPc;
              const out = { rids: {}, aob: 0 };
              if (!pc) return JSON.stringify(out);
              const params = pc.getSenders().find(s => s.track?.kind === 'video')?.getParameters();
              (await pc.getStats()).forEach((s) => {
                if (s.type === 'candidate-pair' && s.nominated) out.aob = s.availableOutgoingBitrate ?? 0;
                if (s.type === 'media-source' && s.kind === 'video') out.src = s.width + 'x' + s.height + '@' + s.framesPerSecond;
                if (s.type === 'outbound-rtp' && s.kind === 'video') out.rids[s.rid ?? '-'] = {
                  wh: (s.frameWidth ?? 0) + 'x' + (s.frameHeight ?? 0), fps: s.framesPerSecond ?? 0, enc: s.framesEncoded ?? 0,
                  target: s.targetBitrate ?? 0, ql: s.qualityLimitationReason,
                  qld: JSON.stringify(s.qualityLimitationDurations), active: s.active, srd: s.scaleResolutionDownBy,
                  impl: s.encoderImplementation };
              });
              out.enc = params?.encodings?.map(e => e.rid + ':' + e.active + ':' + e.scaleResolutionDownBy + ':' + e.maxBitrate);
              out.dp = params?.degradationPreference;
              out.hint = pc.getSenders().find(s => s.track?.kind === 'video')?.track?.contentHint;
              out.settings = JSON.stringify(pc.getSenders().find(s => s.track?.kind === 'video')?.track?.getSettings());
              return JSON.stringify(out);
            }
            """;

    void probe(List<String> args, int peers) throws Exception {
        try (TestServer server = TestServer.start(); Chromium chromium = Chromium.launch(args)) {
            Page pub = SimulcastBrowserTest.joinRoom(chromium, server, "Pub", null);
            String room = ((String) pub.evaluate("location.hash")).substring(1);
            List<Page> others = new ArrayList<>();
            for (int i = 1; i < peers; i++) others.add(SimulcastBrowserTest.joinRoom(chromium, server, "P" + i, room));
            System.out.println("PROBE args=" + args + " peers=" + peers + " load=" + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
            for (int t = 0; t <= 24; t += 3) {
                System.out.println("PROBE t=" + t + " " + pub.evaluate(STATS));
                System.out.println("PROBE t=" + t + " sfu " + server.server().sfu().mediaViews().get());
                pub.waitForTimeout(3000);
            }
            String subId = others.isEmpty() ? null : (String) others.get(0).evaluate("window.room.signaling.peerId");
            if (subId != null) System.out.println("PROBE layers to P1 " + server.server().sfu().forwardedLayers(room, subId)
                    + " " + server.server().sfu().congestionSummary(room, subId));
            System.out.println("PROBE end load=" + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        }
    }

    @Test
    void defaultFlags() throws Exception {
        probe(List.of(), Integer.getInteger("probe.peers", 2));
    }

    @Test
    void legacyLimitDisabled() throws Exception {
        probe(List.of("--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/"), Integer.getInteger("probe.peers", 2));
    }
}
