package dev.drawbridge.hash;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Known answers from FIPS 180-2 (appendix B) and {@code sha256sum}. */
class Sha256Test {

    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    /** {@code printf 'Grüße, 世界' | sha256sum}. */
    static final String UTF8_TEXT = "49837434716aa6f6917104cbba82bd5b8e82a970ddc5bfef7bcc45e3d6ea60b6";
    static final String TWO_BLOCKS = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

    @Test
    void answersTheStandardsKnownValues() {
        assertThat(Sha256.hex("abc")).isEqualTo(ABC);
        assertThat(Sha256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).isEqualTo(TWO_BLOCKS);
        assertThat(Sha256.hex(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Sha256.hex("a".repeat(1_000_000)))
                .isEqualTo("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    @Test
    void hashesATextAsItsUtf8Bytes() {
        String text = "Grüße, 世界";
        assertThat(Sha256.hex(text)).isEqualTo(UTF8_TEXT).isEqualTo(Sha256.hex(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(Sha256.bytes(text)).hasSize(32).isEqualTo(HexFormat.of().parseHex(UTF8_TEXT));
    }

    @Test
    void contentFedInPiecesHashesAsAWholeAndTheDigestStartsAfresh() {
        MessageDigest digest = Sha256.start();
        digest.update("ab".getBytes(StandardCharsets.US_ASCII));
        digest.update("c".getBytes(StandardCharsets.US_ASCII));
        assertThat(Sha256.finish(digest)).isEqualTo(ABC);

        digest.update("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(Sha256.finish(digest)).isEqualTo(ABC);
    }
}
