package dev.parley.transfer;

import com.google.gson.*;
import com.microsoft.playwright.*;
import dev.parley.testing.TestServer;
import java.nio.file.Path;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileExperimentTest {
    @Test
    void experiment(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(); TransferPages pages = new TransferPages(server)) {
            Page sender = pages.shareFiles("Ann", List.of(TransferPages.randomFile(dir, "p.bin", 100L << 20, 1)));
            Page receiver = pages.openLink(TransferPages.link(sender), "Bob");
            CDPSession cs = sender.context().newCDPSession(sender);
            CDPSession cr = receiver.context().newCDPSession(receiver);
            for (CDPSession c : List.of(cs, cr)) { c.send("Profiler.enable"); JsonObject o = new JsonObject(); o.addProperty("interval", 500); c.send("Profiler.setSamplingInterval", o); c.send("Profiler.start"); }
            receiver.click("#accept");
            TransferPages.awaitReceiverState(receiver, "done");
            print("SENDER", cs.send("Profiler.stop"));
            print("RECEIVER", cr.send("Profiler.stop"));
        }
    }

    static void print(String who, JsonObject result) {
        JsonObject profile = result.getAsJsonObject("profile");
        JsonArray nodes = profile.getAsJsonArray("nodes");
        Map<String, Integer> self = new HashMap<>();
        int total = 0;
        for (JsonElement e : nodes) {
            JsonObject n = e.getAsJsonObject();
            JsonObject cf = n.getAsJsonObject("callFrame");
            String url = cf.get("url").getAsString();
            String key = cf.get("functionName").getAsString() + " " + url.substring(url.lastIndexOf('/') + 1) + ":" + cf.get("lineNumber").getAsInt();
            int hits = n.has("hitCount") ? n.get("hitCount").getAsInt() : 0;
            self.merge(key, hits, Integer::sum);
            total += hits;
        }
        final int t = total;
        System.out.println("EXP " + who + " samples " + total);
        self.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(22)
            .forEach(en -> System.out.printf("EXP %s %5.1f%% %s%n", who, 100.0 * en.getValue() / t, en.getKey()));
    }
}
