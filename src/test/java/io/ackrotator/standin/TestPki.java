package io.ackrotator.standin;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real keys and X.509 certificates for the stand-ins, made with BouncyCastle (test scope only). Shaped as ACK's:
 * a per-cluster CA, client certificates whose CN is the calling RAM identity's UID (Source: the
 * DescribeClusterUserKubeconfig reference, https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/api-cs-2015-12-15-describeclusteruserkubeconfig:
 * the kubeconfig belongs to the caller; long-term certificates last 3 years).
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    public record Issued(X509Certificate certificate, PrivateKey key) {
        public String certificatePem() {
            return pem(certificate);
        }

        public String keyPem() {
            return pem(key);
        }
    }

    /** A self-signed certificate authority, like the one every ACK cluster has. */
    public static Issued certificateAuthority(String commonName, Instant notBefore, Instant notAfter) {
        KeyPair keys = rsaKeyPair();
        X500Name subject = name(commonName, List.of());
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued clientCertificate(Issued ca, String user, List<String> groups, Instant notBefore,
            Instant notAfter) {
        KeyPair keys = leafKeyPair(ca.certificate());
        return clientCertificate(ca, user, groups, notBefore, notAfter, keys.getPublic(), keys.getPrivate());
    }

    public static Issued clientCertificate(Issued ca, String user, List<String> groups, Instant notBefore,
            Instant notAfter, PublicKey publicKey, PrivateKey privateKey) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(notBefore), Date.from(notAfter), name(user, groups), publicKey);
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return new Issued(sign(builder, ca.key()), privateKey);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A serving certificate for an API server; {@code sans} are IP addresses or DNS names. */
    public static Issued serverCertificate(Issued ca, List<String> sans, Instant notBefore, Instant notAfter) {
        KeyPair keys = leafKeyPair(ca.certificate());
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(notBefore), Date.from(notAfter), name("kube-apiserver", List.of()), keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            for (String san : sans) {
                names.add(isIp(san) ? new GeneralName(GeneralName.iPAddress, san)
                        : new GeneralName(GeneralName.dNSName, san));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            return new Issued(sign(builder, ca.key()), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Leaf certificates draw their keys from a shared pool (RSA-2048 generation would dominate a test run), but no
     * CA ever signs two certificates with the same key: each CA takes pool slots it has not used yet, and a fresh key
     * once it has used them all. So a certificate paired with the key of another certificate of the same cluster (the
     * previous one, say) never verifies by chance. CAs always get a fresh key, so no two CAs can vouch for each other.
     */
    static KeyPair leafKeyPair(X509Certificate issuer) {
        synchronized (LEAF_KEYS) {
            if (reuseLeafKeys) {
                int slot = Math.floorMod(LEAF_COUNTER.getAndIncrement(), LEAF_KEYS.size());
                if (LEAF_KEYS.get(slot) == null) {
                    LEAF_KEYS.set(slot, rsaKeyPair());
                }
                return LEAF_KEYS.get(slot);
            }
            java.util.BitSet used = USED_BY_ISSUER.computeIfAbsent(issuer, ca -> new java.util.BitSet());
            int start = Math.floorMod(LEAF_COUNTER.getAndIncrement(), LEAF_KEYS.size());
            for (int i = 0; i < LEAF_KEYS.size(); i++) {
                int slot = (start + i) % LEAF_KEYS.size();
                if (!used.get(slot)) {
                    used.set(slot);
                    if (LEAF_KEYS.get(slot) == null) {
                        LEAF_KEYS.set(slot, rsaKeyPair());
                    }
                    return LEAF_KEYS.get(slot);
                }
            }
        }
        return rsaKeyPair();
    }

    /**
     * Generates the pool's missing keys now (once per JVM, a few seconds), instead of one at a time inside the
     * first answers: the packaged function's tests give ACK a one-second read timeout, and a first DescribeCluster
     * UserKubeconfig that spent it generating a key was asked again.
     */
    public static void fillLeafKeyPool() {
        synchronized (LEAF_KEYS) {
            for (int slot = 0; slot < LEAF_KEYS.size(); slot++) {
                if (LEAF_KEYS.get(slot) == null) {
                    LEAF_KEYS.set(slot, rsaKeyPair());
                }
            }
        }
    }

    /**
     * For the benchmarks only: every leaf takes the pool's keys in turn, also a CA's second use of a key. A sweep of
     * thousands of clusters would otherwise time the stand-in generating an RSA key per certificate (~80 ms each),
     * on the cores the function needs; consecutive certificates of one cluster still get different keys.
     */
    public static void reuseLeafKeys() {
        reuseLeafKeys = true;
    }

    private static volatile boolean reuseLeafKeys;

    private static final List<KeyPair> LEAF_KEYS = new ArrayList<>(java.util.Collections.nCopies(16, null));
    private static final java.util.Map<X509Certificate, java.util.BitSet> USED_BY_ISSUER =
            new java.util.IdentityHashMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger LEAF_COUNTER =
            new java.util.concurrent.atomic.AtomicInteger();

    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    public static String base64(String pem) {
        return java.util.Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean isIp(String value) {
        return value.matches("[0-9.]+") || value.contains(":");
    }

    private static X500Name name(String commonName, List<String> organisations) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (String organisation : organisations) {
            builder.addRDN(BCStyle.O, organisation);
        }
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).setBit(62);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }
}
