package io.ackrotator.kubeconfig;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.yaml.snakeyaml.LoaderOptions;

/** Strict parser: every problem becomes a {@link KubeconfigException} naming the field. */
final class KubeconfigParser {

    static final int MAX_DOCUMENT_CHARS = 256 * 1024;
    private static final ObjectMapper YAML = yamlMapper();
    private static final byte[] KEY_CHALLENGE = "ack-kubeconfig-rotator key check".getBytes(StandardCharsets.UTF_8);

    private KubeconfigParser() {
    }

    private static ObjectMapper yamlMapper() {
        LoaderOptions options = new LoaderOptions();
        // Kubeconfigs never use aliases; a handful tolerated, a "billion laughs" refused.
        options.setMaxAliasesForCollections(10);
        options.setAllowDuplicateKeys(false);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_DOCUMENT_CHARS);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(20).build())
                .build();
        return new ObjectMapper(factory);
    }

    static Kubeconfig parse(String text) {
        if (text == null || text.isBlank()) {
            throw new KubeconfigException("kubeconfig", "empty");
        }
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw new KubeconfigException("kubeconfig", "larger than " + MAX_DOCUMENT_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException | RuntimeException e) {
            throw new KubeconfigException("kubeconfig", "not a YAML document");
        }
        if (root == null || !root.isObject()) {
            throw new KubeconfigException("kubeconfig", "not a YAML mapping");
        }

        JsonNode cluster = single(root, "clusters", "cluster");
        JsonNode user = single(root, "users", "user");
        String clusterName = cluster.path("name").asText("");

        URI server = server(text(cluster.path("cluster"), "clusters[0].cluster.server"));
        boolean insecure = cluster.path("cluster").path("insecure-skip-tls-verify").asBoolean(false);
        List<X509Certificate> cas = Pem.certificates(
                base64(cluster.path("cluster"), "certificate-authority-data", "clusters[0].cluster"),
                "clusters[0].cluster.certificate-authority-data");

        String certField = "users[0].user.client-certificate-data";
        String keyField = "users[0].user.client-key-data";
        List<X509Certificate> chain = Pem.certificates(
                base64(user.path("user"), "client-certificate-data", "users[0].user"), certField);
        X509Certificate certificate = chain.get(0);
        PrivateKey key = Pem.privateKey(base64(user.path("user"), "client-key-data", "users[0].user"), keyField,
                certificate.getPublicKey());
        if (!keyMatches(key, certificate.getPublicKey())) {
            throw new KubeconfigException(keyField, "private key does not match the client certificate");
        }
        return new Kubeconfig(clusterName, server, cas, certificate, key, insecure, identityOf(certificate), text);
    }

    private static JsonNode single(JsonNode root, String listField, String itemField) {
        JsonNode list = root.get(listField);
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new KubeconfigException(listField, "missing or empty");
        }
        if (list.size() > 1) {
            throw new KubeconfigException(listField, "expected exactly one entry, found " + list.size());
        }
        JsonNode item = list.get(0);
        if (!item.path(itemField).isObject()) {
            throw new KubeconfigException(listField + "[0]." + itemField, "missing");
        }
        return item;
    }

    private static String text(JsonNode parent, String field) {
        String name = field.substring(field.lastIndexOf('.') + 1);
        JsonNode value = parent.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new KubeconfigException(field, "missing");
        }
        return value.asText();
    }

    private static byte[] base64(JsonNode parent, String name, String path) {
        String field = path + "." + name;
        String value = text(parent, field);
        try {
            return Base64.getMimeDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw new KubeconfigException(field, "not valid base64");
        }
    }

    private static URI server(String value) {
        try {
            URI uri = new URI(value);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new KubeconfigException("clusters[0].cluster.server", "must be an https:// URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new KubeconfigException("clusters[0].cluster.server", "not a URL");
        }
    }

    private static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        // An RSA CRT key carries its public half: comparing it is exact and costs nothing, where a trial signature
        // costs ~2 ms - paid for every kubeconfig a sweep reads.
        if (key instanceof java.security.interfaces.RSAPrivateCrtKey rsa
                && publicKey instanceof java.security.interfaces.RSAPublicKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus())
                    && rsa.getPublicExponent().equals(rsaPublic.getPublicExponent());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(KEY_CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(KEY_CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static CertificateIdentity identityOf(X509Certificate certificate) {
        String user = "";
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    user = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            throw new KubeconfigException("users[0].user.client-certificate-data", "subject can't be read");
        }
        if (user.isEmpty()) {
            throw new KubeconfigException("users[0].user.client-certificate-data", "subject has no CN (user)");
        }
        // LdapName lists RDNs last-first; keep the certificate's own order.
        Collections.reverse(groups);
        return new CertificateIdentity(user, groups, certificate.getSerialNumber().toString(16),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), fingerprint(certificate));
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return io.ackrotator.signing.Digests.sha256Hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new KubeconfigException("users[0].user.client-certificate-data", "certificate can't be encoded");
        }
    }
}
