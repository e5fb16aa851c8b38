package io.ackrotator.standin;

import java.net.URI;
import java.security.cert.X509Certificate;

/** Writes kubeconfig documents in the shape ACK returns them. */
public final class Kubeconfigs {

    private Kubeconfigs() {
    }

    public static String render(String clusterName, URI server, X509Certificate ca, TestPki.Issued client,
            String user) {
        return render(clusterName, server, TestPki.base64(TestPki.pem(ca)),
                TestPki.base64(client.certificatePem()), TestPki.base64(client.keyPem()), user, false);
    }

    public static String render(String clusterName, URI server, String caData, String certData, String keyData,
            String user, boolean insecure) {
        String context = user + "-" + clusterName;
        return "apiVersion: v1\n"
                + "clusters:\n"
                + "- cluster:\n"
                + "    server: " + server + "\n"
                + "    certificate-authority-data: " + caData + "\n"
                + (insecure ? "    insecure-skip-tls-verify: true\n" : "")
                + "  name: kubernetes\n"
                + "contexts:\n"
                + "- context:\n"
                + "    cluster: kubernetes\n"
                + "    user: \"" + user + "\"\n"
                + "  name: " + context + "\n"
                + "current-context: " + context + "\n"
                + "kind: Config\n"
                + "preferences: {}\n"
                + "users:\n"
                + "- name: \"" + user + "\"\n"
                + "  user:\n"
                + "    client-certificate-data: " + certData + "\n"
                + "    client-key-data: " + keyData + "\n";
    }
}
