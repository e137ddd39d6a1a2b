package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The /admin page in a third Chromium page while two /call pages are in a call (and then while a
 * group call runs through the SFU): what an operator reads in its tables, taken from the DOM.
 */
@Tag("browser")
class AdminPageBrowserTest {
    private static TestServer server;
    private static Chromium chromium;
    private static CallPages pages;

    /** The rendered rows of one room: peer name, candidates cell, down kbps cell, quality, kind of connection. */
    private static final String ROWS = """
            room => [...document.querySelectorAll(`[data-room='${room}'] tbody`)].map(body => ({
              name: body.querySelector('.peer-name')?.textContent ?? '',
              rows: [...body.querySelectorAll('tr:not(.server-view)')].map(tr => ({
                kind: tr.dataset.kind ?? '',
                candidates: tr.querySelector('[data-col=candidates]')?.textContent ?? '',
                local: tr.querySelector('[data-col=candidates]')?.dataset.local ?? '',
                down: tr.querySelector('[data-col=down]')?.textContent ?? '',
                quality: tr.querySelector('[data-col=quality]')?.textContent ?? '' })),
              server: body.querySelector('tr.server-view')?.textContent ?? '' }))
            """;

    @BeforeAll
    static void start() {
        pages = CallPages.launch(c -> c, List.of());
        server = pages.server();
        chromium = pages.chromium();
    }

    @AfterAll
    static void stop() {
        pages.close(); // and its server and browser
    }

    @AfterEach
    void closePages() {
        pages.closePages();
    }

    /** A table figure as rendered ("1,234"), or -1 for "—". */
    private static double figure(Object text) {
        String t = String.valueOf(text).replace(",", "").trim();
        return t.matches("[0-9.]+") ? Double.parseDouble(t) : -1;
    }

    @Test
    @SuppressWarnings("unchecked")
    void adminPageShowsTheCallsRoomPeersCandidateTypesAndBitrates() {
        Page admin = pages.newPage();
        admin.setViewportSize(1280, 800);
        admin.navigate(server.httpUrl("/admin"));
        admin.waitForSelector("#no-rooms");
        assertEquals("No rooms right now.", admin.textContent("#no-rooms"));

        Page[] call = pages.call();
        String room = (String) call[0].evaluate("window.parleyCall.room");
        // Each browser reports every 5 s; rates need two reports. Wait for what the operator should see.
        admin.waitForFunction("""
                room => {
                  const bodies = document.querySelectorAll(`[data-room='${room}'] tbody`);
                  if (bodies.length !== 2) return false;
                  return [...bodies].every(b => {
                    const cell = b.querySelector('[data-col=down]');
                    return cell && parseFloat(cell.textContent.replace(/,/g, '')) > 0;
                  });
                }""", room, new Page.WaitForFunctionOptions().setTimeout(90_000));

        assertEquals("P2P", admin.textContent("[data-room='" + room + "'] .kind"));
        List<Map<String, Object>> peers = (List<Map<String, Object>>) admin.evaluate(ROWS, room);
        assertEquals(Set.of("Ann", "Bob"), peers.stream().map(p -> (String) p.get("name")).collect(Collectors.toSet()));
        for (Map<String, Object> peer : peers) {
            Map<String, Object> row = ((List<Map<String, Object>>) peer.get("rows")).get(0);
            assertEquals("p2p", row.get("kind"), peer.toString());
            assertEquals("host", row.get("local"), peer.toString());
            assertTrue(((String) row.get("candidates")).startsWith("host → host"), peer.toString());
            assertTrue(figure(row.get("down")) > 0, "down kbps rendered for " + peer);
            assertTrue(Set.of("good", "fair", "poor").contains((String) row.get("quality")), peer.toString());
        }
        assertTrue(figure(admin.textContent("[data-total=sessions] .value")) >= 2);
        CallPages.screenshot(admin, "admin-call");

        // A group call next to it: the admin page shows it as an SFU room with the SFU's own view.
        Page cy = joinRoom("Cy", null);
        String sfuRoom = ((String) cy.evaluate("location.hash")).substring(1);
        joinRoom("Dee", sfuRoom);
        admin.waitForFunction("""
                room => {
                  const bodies = document.querySelectorAll(`[data-room='${room}'] tbody`);
                  return bodies.length === 2 && [...bodies].every(b =>
                    b.querySelector('tr.server-view')?.textContent.includes('publish udp')
                    && [...b.querySelectorAll('[data-col=down]')].some(c => parseFloat(c.textContent.replace(/,/g, '')) > 0));
                }""", sfuRoom, new Page.WaitForFunctionOptions().setTimeout(90_000));
        assertEquals("SFU", admin.textContent("[data-room='" + sfuRoom + "'] .kind"));
        List<Map<String, Object>> sfuPeers = (List<Map<String, Object>>) admin.evaluate(ROWS, sfuRoom);
        for (Map<String, Object> peer : sfuPeers) {
            Set<Object> kinds = ((List<Map<String, Object>>) peer.get("rows")).stream().map(r -> r.get("kind")).collect(Collectors.toSet());
            assertEquals(Set.of("sfu-publish", "sfu-subscribe"), kinds, peer.toString());
            assertTrue(((String) peer.get("server")).contains("subscribe udp"), peer.toString());
        }
        assertEquals(2, ((Number) admin.evaluate("document.querySelectorAll('article.room').length")).intValue());
        CallPages.screenshot(admin, "admin-call-and-room");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRelayedCallShowsRelayCandidatesAndHowTheyReachTurn() {
        Page admin = pages.newPage();
        admin.navigate(server.httpUrl("/admin"));
        Page[] call = pages.call("relay=1");
        String room = (String) call[0].evaluate("window.parleyCall.room");
        admin.waitForFunction("""
                room => {
                  const cells = document.querySelectorAll(`[data-room='${room}'] [data-col=candidates]`);
                  return cells.length === 2 && [...cells].every(c => c.dataset.local === 'relay');
                }""", room, new Page.WaitForFunctionOptions().setTimeout(90_000));
        for (Map<String, Object> peer : (List<Map<String, Object>>) admin.evaluate(ROWS, room)) {
            String candidates = (String) ((List<Map<String, Object>>) peer.get("rows")).get(0).get("candidates");
            // the built-in TURN server is offered over udp, tcp and tls; Chromium names the one it used
            assertTrue(candidates.matches("relay \\((udp|tcp|tls)\\) → relay · udp"), peer.toString());
        }
        assertTrue(figure(admin.textContent("[data-total=turn-allocations] .value")) >= 2);
    }

    @Test
    void withATokenThePageAsksForItAndRetriesAWrongOne() {
        String token = "browser-test-token-0123456789";
        try (TestServer guarded = TestServer.start(c -> c.withAdminToken(java.util.Optional.of(token)))) {
            Page admin = pages.newPage();
            admin.setViewportSize(1280, 800);
            admin.navigate(guarded.httpUrl("/admin"));
            admin.waitForSelector("#token-form:not([hidden])");
            admin.fill("#token", "wrong-token-0123456789");
            admin.click("#token-form button");
            admin.waitForFunction("() => document.getElementById('token-reason').textContent.includes('refused')");
            CallPages.screenshot(admin, "admin-token-refused");
            admin.fill("#token", token);
            admin.click("#token-form button");
            admin.waitForSelector("#no-rooms");
            assertTrue(admin.isHidden("#token-form"));
            assertTrue(admin.textContent("#status").startsWith("live"), admin.textContent("#status"));
        }
    }

    private static Page joinRoom(String name, String room) {
        Page page = pages.newPage();
        page.navigate(server.httpUrl("/room") + (room == null ? "" : "#" + room));
        page.fill("#name", name);
        page.click("#join");
        page.waitForFunction("() => document.getElementById('status').textContent.startsWith('in room')");
        return page;
    }
}
