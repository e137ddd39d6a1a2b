package dev.parley.codec.stun;

import static org.junit.jupiter.api.Assertions.fail;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Property/fuzz test: whatever the bytes, the decoder and every typed reader either return or throw StunParseException. */
class StunDecoderFuzzTest {
    @Property(tries = 3000)
    void randomBytesNeverEscapeWithAnotherException(@ForAll @Size(max = 300) byte[] bytes) {
        exercise(bytes);
    }

    @Property(tries = 3000)
    void mutatedValidMessagesNeverEscapeWithAnotherException(@ForAll("mutatedMessages") byte[] bytes) {
        exercise(bytes);
    }

    @Provide
    Arbitrary<byte[]> mutatedMessages() {
        Arbitrary<byte[]> seeds = Arbitraries.of(Rfc5769Test.REQUEST, Rfc5769Test.IPV4_RESPONSE, Rfc5769Test.IPV6_RESPONSE,
                Rfc5769Test.LONG_TERM_REQUEST);
        return seeds.flatMap(seed -> Arbitraries.integers().between(0, seed.length - 1).list().ofMaxSize(6)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                    byte[] copy = seed.clone();
                    for (int i = 0; i < positions.size(); i++) copy[positions.get(i)] = values.get(i);
                    // keep the length field consistent half the time so mutations reach the attribute parser
                    if ((values.isEmpty() ? 0 : values.get(0)) % 2 == 0) {
                        copy[2] = (byte) ((copy.length - 20) >> 8);
                        copy[3] = (byte) (copy.length - 20);
                    }
                    return copy;
                })));
    }

    private static void exercise(byte[] bytes) {
        try {
            StunMessage.looksLikeStun(bytes, 0, bytes.length);
            StunMessage m = StunMessage.decode(bytes);
            m.toString();
            m.username();
            m.realm();
            m.nonce();
            m.errorCode();
            m.xorAddress(AttributeType.XOR_MAPPED_ADDRESS);
            m.xorAddress(AttributeType.XOR_PEER_ADDRESS);
            IceAttributes.priority(m);
            IceAttributes.iceControlling(m);
            IceAttributes.iceControlled(m);
            IceAttributes.useCandidate(m);
            TurnAttributes.lifetime(m);
            TurnAttributes.channelNumber(m);
            TurnAttributes.requestedTransport(m);
            TurnAttributes.requestedAddressFamily(m);
            TurnAttributes.evenPort(m);
            TurnAttributes.connectionId(m);
            MessageIntegrity.check(m, new byte[16]);
            MessageIntegritySha256.check(m, new byte[16]);
            Fingerprint.check(m);
            m.unknownComprehensionRequired(t -> false);
        } catch (StunParseException expected) {
            // the one allowed outcome besides success
        } catch (RuntimeException e) {
            fail("decoder leaked " + e, e);
        }
        try {
            ChannelData.decode(bytes, 0, bytes.length);
        } catch (StunParseException expected) {
            // fine
        } catch (RuntimeException e) {
            fail("ChannelData leaked " + e, e);
        }
    }
}
