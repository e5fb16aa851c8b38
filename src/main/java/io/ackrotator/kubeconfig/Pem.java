package io.ackrotator.kubeconfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM decoding with the JDK alone. Kubeconfigs carry RSA keys as PKCS#1 ("RSA PRIVATE KEY", what ACK issues), EC keys
 * as SEC1 ("EC PRIVATE KEY") or either as PKCS#8; the JDK only reads PKCS#8, so the other two are wrapped first.
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private Pem() {
    }

    record Block(String type, byte[] der) {
    }

    static List<Block> blocks(byte[] pem, String field) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        Matcher matcher = BLOCK.matcher(text);
        List<Block> blocks = new ArrayList<>();
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new KubeconfigException(field, "PEM block is not valid base64");
            }
        }
        if (blocks.isEmpty()) {
            throw new KubeconfigException(field, "no PEM block found");
        }
        return blocks;
    }

    static List<X509Certificate> certificates(byte[] pem, String field) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(pem, field)) {
            if (!block.type().equals("CERTIFICATE")) {
                throw new KubeconfigException(field, "expected a CERTIFICATE block, found "
                        + (block.type().contains("PRIVATE KEY") ? "a private key" : block.type()));
            }
            certificates.add(certificate(block.der(), field));
        }
        return certificates;
    }

    static X509Certificate certificate(byte[] der, String field) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new KubeconfigException(field, "not an X.509 certificate");
        }
    }

    /**
     * Decodes the one private key in {@code pem}. A SEC1 EC key need not name its curve, so the curve is taken from the
     * certificate the key belongs to; a key for another curve then fails the key/certificate match.
     */
    static PrivateKey privateKey(byte[] pem, String field, PublicKey certificateKey) {
        List<Block> blocks = blocks(pem, field);
        if (blocks.size() != 1) {
            throw new KubeconfigException(field, "expected one private key, found " + blocks.size() + " PEM blocks");
        }
        Block block = blocks.get(0);
        try {
            return switch (block.type()) {
                case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA")
                        .generatePrivate(new PKCS8EncodedKeySpec(pkcs8(0, RSA_ALGORITHM_ID, block.der())));
                case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(
                        new PKCS8EncodedKeySpec(pkcs8(0, algorithmIdentifier(certificateKey), block.der())));
                case "PRIVATE KEY" -> pkcs8Key(block.der());
                default -> throw new KubeconfigException(field, "unsupported private key type "
                        + block.type().replace(" PRIVATE KEY", ""));
            };
        } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new KubeconfigException(field, "private key can't be decoded");
        }
    }

    private static PrivateKey pkcs8Key(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier (with the EC curve), BIT STRING }. */
    private static byte[] algorithmIdentifier(PublicKey publicKey) {
        if (!"EC".equals(publicKey.getAlgorithm())) {
            throw new IllegalArgumentException("EC key for a non-EC certificate");
        }
        return new Der.Reader(publicKey.getEncoded()).enter(0x30).rawElement(0x30);
    }

    private static byte[] pkcs8(int version, byte[] algorithmId, byte[] key) {
        return Der.element(0x30, concat(new byte[] {0x02, 0x01, (byte) version}, algorithmId, Der.element(0x04, key)));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Just enough DER to wrap and unwrap key structures. */
    static final class Der {

        private Der() {
        }

        static byte[] element(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            int length = content.length;
            if (length < 0x80) {
                out.write(length);
            } else {
                int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(length >>> (8 * i));
                }
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        static final class Reader {
            private final byte[] data;
            private int position;
            private final int end;

            Reader(byte[] data) {
                this(data, 0, data.length);
            }

            private Reader(byte[] data, int start, int end) {
                this.data = data;
                this.position = start;
                this.end = end;
            }

            /** Reads the next element, which must have this tag, and returns a reader over its content. */
            Reader enter(int tag) {
                int[] header = header(tag);
                position = header[0] + header[1];
                return new Reader(data, header[0], header[0] + header[1]);
            }

            byte[] rawElement(int tag) {
                int start = position;
                int[] header = header(tag);
                position = header[0] + header[1];
                byte[] raw = new byte[position - start];
                System.arraycopy(data, start, raw, 0, raw.length);
                return raw;
            }

            private int[] header(int expectedTag) {
                if (position + 2 > end) {
                    throw new IllegalArgumentException("truncated DER");
                }
                int tag = data[position] & 0xff;
                if (expectedTag >= 0 && tag != expectedTag) {
                    throw new IllegalArgumentException("unexpected DER tag");
                }
                int length = data[position + 1] & 0xff;
                int contentStart = position + 2;
                if (length >= 0x80) {
                    int bytes = length & 0x7f;
                    if (bytes == 0 || bytes > 3 || contentStart + bytes > end) {
                        throw new IllegalArgumentException("bad DER length");
                    }
                    length = 0;
                    for (int i = 0; i < bytes; i++) {
                        length = (length << 8) | (data[contentStart + i] & 0xff);
                    }
                    contentStart += bytes;
                }
                if (contentStart + length > end) {
                    throw new IllegalArgumentException("truncated DER");
                }
                return new int[] {contentStart, length};
            }
        }
    }
}
