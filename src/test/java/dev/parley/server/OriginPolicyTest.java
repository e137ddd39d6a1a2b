package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    @Test
    void aPageServedByAnyLiveClusterNodeMayOpenTheSocketAndNoOtherOrigin() {
        AtomicReference<Set<String>> nodes = new AtomicReference<>(Set.of("http://10.0.0.1:8080", "https://node2.example.org"));
        OriginPolicy policy = new OriginPolicy(List.of(), nodes::get);
        assertTrue(policy.allows("http://10.0.0.1:8080", "10.0.0.3:8080"), "another node's page");
        assertTrue(policy.allows("https://node2.example.org", "10.0.0.3:8080"), "default port left out, as browsers send it");
        assertTrue(policy.allows("http://10.0.0.3:8080", "10.0.0.3:8080"), "same origin");
        assertFalse(policy.allows("http://10.0.0.1:8081", "10.0.0.3:8080"), "another port of a node's host");
        assertFalse(policy.allows("http://node2.example.org", "10.0.0.3:8080"), "a node's host over another scheme");
        assertFalse(policy.allows("https://evil.example", "10.0.0.3:8080"));
        nodes.set(Set.of("http://10.0.0.1:8080"));
        assertFalse(policy.allows("https://node2.example.org", "10.0.0.3:8080"), "a node gone from the cluster");
    }

    @Test
    void originOfABaseUrlIsWhatABrowserSends() {
        assertEquals("http://10.0.0.1:8080", OriginPolicy.originOf("http://10.0.0.1:8080"));
        assertEquals("https://node.example.org", OriginPolicy.originOf("https://Node.Example.org:443/parley/"));
        assertEquals("http://node", OriginPolicy.originOf("http://node:80"));
        assertEquals("http://[::1]:8080", OriginPolicy.originOf("http://[::1]:8080"));
        assertNull(OriginPolicy.originOf("ws://node:8080"));
        assertNull(OriginPolicy.originOf("not a url"));
        assertNull(OriginPolicy.originOf(""));
    }

    @Test
    void withoutAClusterOnlyConfiguredOriginsAndTheSameOriginMay() {
        OriginPolicy policy = new OriginPolicy(List.of("https://app.example.org/"));
        assertTrue(policy.allows("https://app.example.org", "parley.example.org"));
        assertTrue(policy.allows(null, "parley.example.org"), "native clients send no Origin");
        assertFalse(policy.allows("https://other.example.org", "parley.example.org"));
    }
}
