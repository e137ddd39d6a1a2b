package dev.parley.signaling;

import java.util.List;

/**
 * One entry of {@code RTCConfiguration.iceServers} as handed to clients on join
 * (W3C webrtc-pc §4.2.1 RTCIceServer). Username and credential are null for STUN.
 */
public record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
        urls = List.copyOf(urls);
    }
}
