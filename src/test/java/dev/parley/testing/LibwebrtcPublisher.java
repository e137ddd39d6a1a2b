package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A publisher built on Google's libwebrtc (webrtc-java, TESTING.md): joins a room over Parley's
 * signaling, offers one audio and one video track on its publish connection ({@code sfu-publish})
 * and feeds them synthetic media: moving I420 frames pushed from Java, and the audio of the
 * headless device module's simulated capture.
 * A WebRTC stack no one here wrote, for interop tests. Needs the test network namespace.
 */
public final class LibwebrtcPublisher implements AutoCloseable {
    /** Width of the synthetic frames. */
    public static final int WIDTH = 320;
    private static final int HEIGHT = 240;

    private final WsClient signaling;
    private final String peerId;
    private final PeerConnectionFactory factory;
    private final AudioTrackSource audioSource;
    private final CustomVideoSource videoSource;
    private final AudioTrack audioTrack;
    private final VideoTrack videoTrack;
    private final RTCPeerConnection pc;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final ScheduledExecutorService videoPump = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "libwebrtc-video-pump");
        t.setDaemon(true);
        return t;
    });
    private long frames;

    private LibwebrtcPublisher(URI ws, String room, String name) {
        signaling = WsClient.connect(ws);
        peerId = signaling.join(room, name).path("peerId").asText();
        // The factory's class loads the native library: it comes before any source.
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        // Audio comes from the headless device module's simulated capture: libwebrtc aborts if a
        // CustomAudioSource pushes from another thread while that capture runs.
        audioSource = factory.createAudioSource(new AudioOptions());
        videoSource = new CustomVideoSource();
        audioTrack = factory.createAudioTrack("libwebrtc-audio", audioSource);
        videoTrack = factory.createVideoTrack("libwebrtc-video", videoSource);
        pc = factory.createPeerConnection(new RTCConfiguration(), new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                // The SFU is ICE-lite: it needs no trickled candidates (docs/protocol.md).
            }

            @Override
            public void onConnectionChange(RTCPeerConnectionState state) {
                if (state == RTCPeerConnectionState.CONNECTED) connected.complete(null);
                if (state == RTCPeerConnectionState.FAILED) connected.completeExceptionally(new AssertionError("libwebrtc: connection failed"));
            }
        });
    }

    /** Joins {@code room} (a new one if null) over signaling; call {@link #publish()} next. */
    public static LibwebrtcPublisher join(URI ws, String room, String name) {
        return new LibwebrtcPublisher(ws, room, name);
    }

    public String peerId() {
        return peerId;
    }

    /** Adds both tracks sendonly, offers them with {@code sfu-publish}, applies the SFU's answer and starts the media. */
    public void publish(Duration connectTimeout) throws Exception {
        for (var track : List.of(audioTrack, videoTrack)) {
            RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
            init.direction = RTCRtpTransceiverDirection.SEND_ONLY;
            init.streamIds = List.of(peerId);
            pc.addTransceiver(track, init);
        }
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                offer.complete(description);
            }

            @Override
            public void onFailure(String error) {
                offer.completeExceptionally(new AssertionError("createOffer: " + error));
            }
        });
        RTCSessionDescription local = offer.get(10, TimeUnit.SECONDS);
        apply(local, true);
        JsonNode answer = signaling.request(WsClient.msg("sfu-publish", "sdp", local.sdp));
        if (!answer.path("type").asText().equals("response")) throw new AssertionError("sfu-publish refused: " + answer);
        apply(new RTCSessionDescription(RTCSdpType.ANSWER, answer.path("result").path("sdp").asText()), false);
        videoPump.scheduleAtFixedRate(this::pushVideo, 0, 33, TimeUnit.MILLISECONDS);
        connected.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void apply(RTCSessionDescription description, boolean local) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        SetSessionDescriptionObserver observer = new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new AssertionError((local ? "setLocalDescription: " : "setRemoteDescription: ") + error
                        + "\n" + description.sdp));
            }
        };
        if (local) pc.setLocalDescription(description, observer);
        else pc.setRemoteDescription(description, observer);
        done.get(10, TimeUnit.SECONDS);
    }

    /** One frame with a bar that moves, so every frame differs and the encoder has work to do. */
    private void pushVideo() {
        NativeI420Buffer buffer = NativeI420Buffer.allocate(WIDTH, HEIGHT);
        ByteBuffer y = buffer.getDataY();
        int bar = (int) (frames * 4 % WIDTH);
        for (int row = 0; row < HEIGHT; row++) {
            for (int col = 0; col < WIDTH; col++) {
                y.put(row * buffer.getStrideY() + col, (byte) (Math.abs(col - bar) < 16 ? 235 : 16 + row / 2));
            }
        }
        fill(buffer.getDataU(), buffer.getStrideU() * (HEIGHT / 2), (byte) (frames % 256));
        fill(buffer.getDataV(), buffer.getStrideV() * (HEIGHT / 2), (byte) 128);
        VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
        videoSource.pushFrame(frame);
        frame.release();
        frames++;
    }

    private static void fill(ByteBuffer plane, int length, byte value) {
        for (int i = 0; i < length; i++) plane.put(i, value);
    }

    @Override
    public void close() {
        videoPump.shutdownNow();
        try {
            videoPump.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The closed connection's senders still hold the tracks: they go with the factory.
        pc.close();
        videoSource.dispose();
        factory.dispose();
        signaling.close();
    }
}
