package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.IceStats;
import dev.parley.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real Chromium pages use the browser SDK against a real server: WebRTC negotiation through
 * signaling, and session resume after the socket is killed.
 */
@Tag("browser")
class BrowserSignalingTest {
    private static TestServer server;
    private static Chromium chromium;

    /** Joins, then negotiates a data channel with whoever else is in the room; logs what arrives. */
    static final String PEER_SCRIPT = """
            async ({ room, name, offerer, relayOnly, backoff }) => {
              const { SignalingClient } = await import('/sdk/signaling.js');
              const client = new SignalingClient(undefined, backoff ? { backoff } : {});
              window.client = client;
              window.received = [];
              window.states = [];
              client.on('statechange', ({ state }) => window.states.push(state));
              client.on('message', (m) => window.received.push('signal:' + m.data));
              const joined = await client.join({ room, name });
              let pc;
              const connect = (peerId) => {
                pc = new RTCPeerConnection({ iceServers: client.iceServers, iceTransportPolicy: relayOnly ? 'relay' : 'all' });
                window.pc = pc;
                pc.onicecandidate = (e) => client.sendTo(peerId, 'candidate', { candidate: e.candidate ? e.candidate.toJSON() : null });
                const wire = (channel) => {
                  window.channel = channel;
                  channel.onmessage = (e) => {
                    window.received.push(e.data);
                    if (!offerer && e.data === 'hello from offerer') channel.send('hello from answerer');
                  };
                };
                if (offerer) {
                  const channel = pc.createDataChannel('test');
                  channel.onopen = () => channel.send('hello from offerer');
                  wire(channel);
                } else {
                  pc.ondatachannel = (e) => wire(e.channel);
                }
              };
              client.on('offer', async (m) => {
                if (!pc) connect(m.from);
                await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
                await pc.setLocalDescription();
                client.sendTo(m.from, 'answer', { sdp: pc.localDescription.sdp });
              });
              client.on('answer', (m) => pc.setRemoteDescription({ type: 'answer', sdp: m.sdp }));
              client.on('candidate', (m) => pc.addIceCandidate(m.candidate ?? undefined));
              if (offerer) {
                const other = joined.peers[0].id;
                connect(other);
                await pc.setLocalDescription();
                client.sendTo(other, 'offer', { sdp: pc.localDescription.sdp });
              }
              return { room: joined.room, peerId: joined.peerId };
            }
            """;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
        server.close();
    }

    private Page openLanding() {
        Page page = chromium.newPage();
        page.navigate(server.httpUrl("/"));
        return page;
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoPagesNegotiateADataChannelThroughSignalingAndTalkBothWays() {
        Page answerer = openLanding();
        Page offerer = openLanding();
        Map<String, Object> first = (Map<String, Object>) answerer.evaluate(PEER_SCRIPT,
                Map.of("name", "Ann", "offerer", false));
        String room = (String) first.get("room");
        offerer.evaluate(PEER_SCRIPT, Map.of("room", room, "name", "Bob", "offerer", true));

        answerer.waitForFunction("window.received.includes('hello from offerer')");
        offerer.waitForFunction("window.received.includes('hello from answerer')");
        assertEquals("connected", offerer.evaluate("window.pc.connectionState"));
        assertEquals(List.of("hello from answerer"), offerer.evaluate("window.received"));
        assertEquals(List.of("hello from offerer"), answerer.evaluate("window.received"));
        Object names = answerer.evaluate("[...window.client.peers.values()].map(p => p.name)");
        assertEquals(List.of("Bob"), names);
    }

    @Test
    @SuppressWarnings("unchecked")
    void relayOnlyPeersTalkThroughTheBuiltInTurnServer() {
        Page answerer = openLanding();
        Page offerer = openLanding();
        Map<String, Object> first = (Map<String, Object>) answerer.evaluate(PEER_SCRIPT,
                Map.of("name", "Ann", "offerer", false, "relayOnly", true));
        String room = (String) first.get("room");
        List<Map<String, Object>> iceServers = (List<Map<String, Object>>) answerer.evaluate("window.client.iceServers");
        Map<String, Object> turn = iceServers.get(iceServers.size() - 1);
        assertTrue(((List<String>) turn.get("urls")).stream().anyMatch(u -> u.startsWith("turn:")), "join hands out TURN URLs: " + turn);
        assertTrue(((String) turn.get("username")).matches("\\d+:.+"), "TURN REST username expiry:identity: " + turn);

        offerer.evaluate(PEER_SCRIPT, Map.of("room", room, "name", "Bob", "offerer", true, "relayOnly", true));
        answerer.waitForFunction("window.received.includes('hello from offerer')");
        offerer.waitForFunction("window.received.includes('hello from answerer')");
        assertEquals(List.of("relay", "relay"), IceStats.selectedPairTypes(offerer, "window.pc"), "both ends of the pair are relayed");
        double relayed = server.server().metrics().find("parley.turn.relayed.bytes").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertTrue(relayed > 0, "Parley's TURN server relayed the bytes");
    }

    @Test
    @SuppressWarnings("unchecked")
    void pageWhoseSocketIsKilledResumesAndGetsWhatWasSentMeanwhile() {
        Page stays = openLanding();
        Page drops = openLanding();
        Map<String, Object> first = (Map<String, Object>) stays.evaluate(PEER_SCRIPT, Map.of("name", "Ann", "offerer", false));
        String room = (String) first.get("room");
        // Its first reconnect waits 2.5-5 s (backoff with jitter), so the message below finds it away.
        Map<String, Object> second = (Map<String, Object>) drops.evaluate(PEER_SCRIPT,
                Map.of("room", room, "name", "Bob", "offerer", true, "backoff", Map.of("initial", 5000, "max", 5000)));
        String dropsId = (String) second.get("peerId");
        drops.waitForFunction("window.received.includes('hello from answerer')");

        drops.evaluate("window.resumed = new Promise(r => window.client.on('resumed', r)); window.client.dropSocket(); true");
        stays.waitForFunction("peerId => window.client.peers.get(peerId)?.away === true", dropsId);
        assertTrue(serverSeesAway(dropsId), "the server told Ann after it marked Bob's session away");
        // A request: its response comes after the server has relayed (here: queued) the message.
        stays.evaluate("peerId => window.client.request('message', { to: peerId, data: 'sent while you were away' }).then(() => true)",
                dropsId);
        assertTrue(serverSeesAway(dropsId), "the message was relayed while Bob was still away, so it can only arrive queued");
        assertFalse((Boolean) drops.evaluate("window.received.includes('signal:sent while you were away')"));

        drops.evaluate("window.resumed.then(() => true)");
        drops.waitForFunction("window.received.includes('signal:sent while you were away')");
        assertEquals(dropsId, drops.evaluate("window.client.peerId"), "same identity after resume");
        assertEquals("open", drops.evaluate("window.client.state"));
        assertTrue(((List<String>) drops.evaluate("window.states")).contains("reconnecting"));
        stays.waitForFunction("peerId => window.client.peers.get(peerId)?.away === false", dropsId);
        drops.evaluate("window.channel.send('data channel survived'); true");
        stays.waitForFunction("window.received.includes('data channel survived')");
    }

    /** True while the server keeps {@code peerId}'s session without a socket (resume grace). */
    private static boolean serverSeesAway(String peerId) {
        return server.server().signaling().adminView(Duration.ofSeconds(5)).stream()
                .flatMap(room -> room.peers().stream())
                .anyMatch(peer -> peer.peerId().equals(peerId) && peer.away());
    }
}
