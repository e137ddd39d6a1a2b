package dev.parley.transfer;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.ChromiumProfile;
import dev.parley.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Drives the Send files app the way a person does: pick files, share, open the link, accept.
 * Every person gets a browser process of their own (as on separate devices); {@link #close()}
 * ends them. (Several WebRTC pages in one headless browser sometimes never finished ICE
 * gathering in the later pages here, so tests do not share one.)
 */
final class TransferPages implements AutoCloseable {
    static final double LONG_WAIT = 240_000;
    private final TestServer server;
    private final List<Chromium> browsers = new java.util.ArrayList<>();
    private final List<ChromiumProfile> profiles = new java.util.ArrayList<>();
    private Page lastSender;

    TransferPages(TestServer server) {
        this.server = server;
    }

    private Page newPage() {
        Chromium chromium = Chromium.launch();
        browsers.add(chromium);
        return chromium.newPage();
    }

    @Override
    public void close() {
        browsers.forEach(Chromium::close);
        browsers.clear();
        profiles.forEach(ChromiumProfile::close);
        profiles.clear();
        lastSender = null;
    }

    /** A sender page with the files picked and a share link created; returns the page. */
    Page shareFiles(String name, List<Path> files) {
        return shareFiles(name, files, "");
    }

    /** As {@link #shareFiles(String, List)}, with a query string for the app (e.g. {@code relay=1}). */
    Page shareFiles(String name, List<Path> files, String query) {
        Page sender = newPage();
        sender.navigate(server.httpUrl("/transfer" + (query.isEmpty() ? "" : "?" + query)));
        sender.fill("#my-name", name);
        sender.locator("#my-name").dispatchEvent("change");
        sender.setInputFiles("#file-input", files.toArray(Path[]::new));
        sender.click("#share");
        sender.waitForFunction("document.querySelector('#share-link').value.includes('#')");
        lastSender = sender;
        return sender;
    }

    static String link(Page sender) {
        return sender.inputValue("#share-link");
    }

    /** A receiver page that opened the link and sees the offer (not yet accepted). */
    Page openLink(String link, String name) {
        return openLink(link, name, page -> { });
    }

    /** As {@link #openLink(String, String)}; {@code prepare} runs on the page (at the app's origin) before the link opens. */
    Page openLink(String link, String name, java.util.function.Consumer<Page> prepare) {
        return openLink(newPage(), link, name, prepare);
    }

    /** As {@link #openLink(String, String, java.util.function.Consumer)}, in a browser with an on-disk profile. */
    Page openLinkWithProfile(String link, String name, java.util.function.Consumer<Page> prepare) {
        ChromiumProfile profile = ChromiumProfile.launch(List.of());
        profiles.add(profile);
        return openLink(profile.page(), link, name, prepare);
    }

    private Page openLink(Page receiver, String link, String name, java.util.function.Consumer<Page> prepare) {
        receiver.navigate(server.httpUrl("/transfer"));
        receiver.fill("#my-name", name);
        receiver.locator("#my-name").dispatchEvent("change");
        prepare.accept(receiver);
        receiver.navigate(link);
        try {
            receiver.waitForSelector("#accept", new Page.WaitForSelectorOptions().setTimeout(30_000));
        } catch (RuntimeException e) {
            throw new AssertionError("no offer shown; receiver: " + diagnose(receiver)
                    + "; sender: " + (lastSender == null ? "?" : diagnose(lastSender)), e);
        }
        return receiver;
    }

    /** The app's connection and transfer state, for failure messages. */
    static String diagnose(Page page) {
        return String.valueOf(page.evaluate("""
                async () => { const t = window.parleyTransfer;
                  const stats = [];
                  for (const s of t.sessions.values()) {
                    const report = await s.pc.getStats();
                    const count = {};
                    report.forEach((r) => { count[r.type] = (count[r.type] || 0) + 1; });
                    stats.push({ gathering: s.pc.iceGatheringState, count, early: s._earlyRemoteCandidates.length, held: s._heldLocalCandidates.length, hold: s._holdLocalCandidates });
                  }
                  return JSON.stringify({ stats,
                  peer: t.client.peerId, signaling: t.client.state,
                  sessions: [...t.sessions.entries()].map(([id, s]) => ({ id, state: s.state, polite: s.polite, gen: s.generation,
                    conn: s.pc && s.pc.connectionState, sig: s.pc && s.pc.signalingState, ice: s.pc && s.pc.iceConnectionState,
                    local: s.pc && s.pc.localDescription && s.pc.localDescription.type, remote: s.pc && s.pc.remoteDescription && s.pc.remoteDescription.type })),
                  senders: [...t.senders.values()].map((s) => ({ state: s.state, reason: s.reason, channel: s.channel && s.channel.readyState, sent: s.stats.bytesSent })),
                  receiver: t.receiver && { state: t.receiver.state, reason: t.receiver.reason, channel: t.receiver.channel && t.receiver.channel.readyState },
                }); }"""));
    }

    static void awaitReceiverState(Page receiver, String state) {
        receiver.waitForSelector("#status[data-state='" + state + "']",
                new Page.WaitForSelectorOptions().setTimeout(LONG_WAIT));
    }

    static Locator receiverCard(Page sender) {
        return sender.locator(".receiver").first();
    }

    static void awaitSenderState(Page sender, String state) {
        sender.waitForSelector(".receiver[data-state='" + state + "']",
                new Page.WaitForSelectorOptions().setTimeout(LONG_WAIT));
    }

    /** SHA-256 of the file the receiving page holds, computed in the page with WebCrypto (not the app's hash). */
    static String storedSha256(Page receiver, int index) {
        return (String) receiver.evaluate("""
                async (index) => {
                  const file = window.parleyTransfer.receiver.results.get(index);
                  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
                  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
                }""", index);
    }

    /** Names of the files the app keeps in this page's origin private file system. */
    @SuppressWarnings("unchecked")
    static List<String> storedFiles(Page page) {
        return (List<String>) page.evaluate("""
                async () => {
                  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('parley-transfer', { create: true });
                  const names = [];
                  for await (const name of dir.keys()) names.push(name);
                  return names.sort();
                }""");
    }

    /** Waits until the app keeps no file in this page's origin private file system. */
    static void awaitNoStoredFiles(Page page) {
        page.waitForFunction("""
                async () => {
                  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('parley-transfer', { create: true });
                  for await (const name of dir.keys()) return false;
                  return true;
                }""", null, new Page.WaitForFunctionOptions().setTimeout(30_000).setPollingInterval(100));
    }

    static Path randomFile(Path dir, String name, long size, long seed) throws IOException {
        Path file = dir.resolve(name);
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
