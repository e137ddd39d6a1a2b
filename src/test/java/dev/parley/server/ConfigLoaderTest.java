package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void defaultsServeLocalhost8080() {
        ParleyConfig config = ConfigLoader.load(new String[0], Map.of());
        assertEquals(8080, config.port());
        assertEquals(65536, config.signaling().maxMessageBytes());
        assertEquals(Duration.ofSeconds(30), config.signaling().resumeGrace());
        assertEquals(Duration.ofSeconds(10), config.signaling().heartbeatTimeout());
        assertTrue(config.signaling().iceServers().isEmpty());
    }

    @Test
    void commandLineBeatsEnvironmentBeatsYamlBeatsDefault(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("parley.yaml");
        Files.writeString(yaml, "port: 9001\nresume-grace: 45s\nmax-room-size: 12\nws-rate-limit: 7\n");
        ParleyConfig config = ConfigLoader.load(
                new String[] {"--config", yaml.toString(), "--port", "9003"},
                Map.of("PARLEY_PORT", "9002", "PARLEY_RESUME_GRACE", "20s", "PARLEY_MAX_ROOM_SIZE", "10"));
        assertEquals(9003, config.port(), "CLI wins");
        assertEquals(Duration.ofSeconds(20), config.signaling().resumeGrace(), "env beats YAML");
        assertEquals(10, config.signaling().maxRoomSize(), "env beats YAML");
        assertEquals(7.0, config.signaling().rateLimitPerSecond(), "YAML beats default");
        assertEquals(200, config.signaling().rateLimitBurst(), "default when nobody sets it");
    }

    @Test
    void configFileMayComeFromTheEnvironmentAndHoldLists(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("p.yml");
        Files.writeString(yaml, "ice-servers:\n  - stun:stun.example.org:3478\n  - turn:turn.example.org:3478\n"
                + "ice-username: u\nice-credential: p\nallowed-origins: [https://a.example, https://b.example]\n");
        ParleyConfig config = ConfigLoader.load(new String[0], Map.of("PARLEY_CONFIG", yaml.toString()));
        assertEquals(2, config.signaling().iceServers().size());
        assertEquals("u", config.signaling().iceServers().get(1).username());
        assertEquals(2, config.allowedOrigins().size());
    }

    @Test
    void iceTcpListensOn7881UnlessTurnedOff() {
        assertEquals(7881, ConfigLoader.load(new String[0], Map.of()).sfu().tcpPort());
        assertEquals(-1, ConfigLoader.load(new String[] {"--sfu-tcp-port", "-1"}, Map.of()).sfu().tcpPort());
        assertEquals(443, ConfigLoader.load(new String[0], Map.of("PARLEY_SFU_TCP_PORT", "443")).sfu().tcpPort());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--sfu-tcp-port", "70000"}, Map.of()));
    }

    @Test
    void flagsAcceptEqualsForm() {
        assertEquals(1234, ConfigLoader.load(new String[] {"--port=1234"}, Map.of()).port());
    }

    @Test
    void durationsTakeUnits() {
        ParleyConfig config = ConfigLoader.load(new String[] {"--heartbeat-interval", "500ms", "--heartbeat-timeout", "2"}, Map.of());
        assertEquals(Duration.ofMillis(500), config.signaling().heartbeatInterval());
        assertEquals(Duration.ofSeconds(2), config.signaling().heartbeatTimeout());
    }

    @Test
    void badValuesNameTheOptionAndItsSource(@TempDir Path dir) throws Exception {
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--port", "http"}, Map.of()))
                .getMessage().contains("--port"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[0], Map.of("PARLEY_PORT", "70000")))
                .getMessage().contains("PARLEY_PORT"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--prot", "1"}, Map.of()))
                .getMessage().contains("unknown option --prot"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--resume-grace", "soon"}, Map.of()))
                .getMessage().contains("duration"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--ice-servers", "http://x"}, Map.of()))
                .getMessage().contains("not a stun:"));
        assertTrue(assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {"--heartbeat-interval", "20s", "--heartbeat-timeout", "10s"}, Map.of()))
                .getMessage().contains("heartbeat"));
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "colour: blue\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--config", yaml.toString()}, Map.of()))
                .getMessage().contains("unknown key 'colour'"));
        assertTrue(assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {"--config", dir.resolve("missing.yaml").toString()}, Map.of()))
                .getMessage().contains("cannot read"));
    }

    @Test
    void clusterModeOnlyWithARedisUrl() {
        assertTrue(ConfigLoader.load(new String[0], Map.of()).cluster().isEmpty(), "single node by default");
        ParleyConfig clustered = ConfigLoader.load(new String[] {"--redis", "redis://10.0.0.5:6379", "--node-url", "https://node1.example.org/",
            "--resume-grace", "7s"}, Map.of());
        assertEquals("redis://10.0.0.5:6379", clustered.cluster().orElseThrow().redisUri());
        assertEquals("https://node1.example.org", clustered.cluster().orElseThrow().nodeUrl());
        assertEquals(java.time.Duration.ofSeconds(7), clustered.cluster().orElseThrow().removeAfter(), "gone nodes' peers leave after the grace");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--redis", "localhost:6379"}, Map.of()))
                .getMessage().contains("--redis"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--node-url", "http://a:1"}, Map.of()))
                .getMessage().contains("--node-url"));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--redis", "redis://r", "--node-url", "node1:8080"}, Map.of()));
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() {
        String help = ConfigLoader.helpText();
        for (Option option : ConfigLoader.OPTIONS) {
            assertTrue(help.contains(option.flag()), option.flag());
            assertTrue(help.contains(option.envVar()), option.envVar());
        }
    }

    @Test
    void helpDescriptionsStartInOneColumnEvenAfterTheLongestFlag() {
        java.util.Set<Integer> columns = new java.util.TreeSet<>();
        for (String line : ConfigLoader.helpText().split("\n")) {
            String rest = line.stripLeading();
            if (rest.startsWith("--")) {
                int column = line.indexOf("  ", line.indexOf("--"));
                while (line.charAt(column) == ' ') column++;
                columns.add(column);
            } else if (rest.startsWith("env PARLEY_")) {
                columns.add(line.length() - rest.length()); // the line under its option
            }
        }
        assertEquals(1, columns.size(), "descriptions and env lines start at " + columns + ":\n" + ConfigLoader.helpText());
    }

    @Test
    void turnStaticUsersIpv6RelayLoopsAndOldChannelNumbers() {
        ParleyConfig config = ConfigLoader.load(new String[] {"--turn-relay-address-v6", "::1", "--turn-io-threads", "3",
                "--turn-rfc5766-channels", "on"}, Map.of("PARLEY_TURN_USERS", "alice:pw1, bob:pa:ss"));
        var turn = config.turn().settings();
        assertEquals(Map.of("alice", "pw1", "bob", "pa:ss"), turn.users());
        assertEquals("::1", turn.relayAddressV6());
        assertEquals(3, turn.ioThreads());
        assertTrue(turn.rfc5766ChannelNumbers());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {"--turn-users", "alice"}, Map.of()));
        assertTrue(bad.getMessage().contains("name:password"), bad.getMessage());
    }

    @Test
    void readmeConfigurationTableListsEveryOption() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Option option : ConfigLoader.OPTIONS) {
            assertTrue(readme.contains("`" + option.flag() + "`"), "README lacks " + option.flag());
            assertTrue(readme.contains("`" + option.envVar() + "`"), "README lacks " + option.envVar());
        }
    }
}
