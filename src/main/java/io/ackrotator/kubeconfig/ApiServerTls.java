package io.ackrotator.kubeconfig;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS side of one kubeconfig: its client certificate and key, and trust in its certificate authorities only.
 * The key is handed to the handshake directly: a PKCS#12 key store would encrypt it with 10,000 rounds of PBKDF2
 * on every probe, for nothing.
 */
final class ApiServerTls {

    private static final String ALIAS = "kubeconfig";

    private ApiServerTls() {
    }

    /** Verifies the server against the kubeconfig's CAs; trusts anything only if {@code trustAll} (allowed insecure). */
    static SSLContext context(Kubeconfig kubeconfig, boolean trustAll) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new ClientKey(kubeconfig)},
                    trustAll ? new TrustManager[] {new TrustAnything()} : trust(kubeconfig), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new KubeconfigException("certificate-authority-data", "can't be used for TLS ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static TrustManager[] trust(Kubeconfig kubeconfig) throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate ca : kubeconfig.certificateAuthorities()) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /** Offers the kubeconfig's client certificate to whichever server asks. */
    private static final class ClientKey extends X509ExtendedKeyManager {
        private final X509Certificate certificate;
        private final PrivateKey key;

        ClientKey(Kubeconfig kubeconfig) {
            this.certificate = kubeconfig.clientCertificate();
            this.key = kubeconfig.clientKey();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {certificate};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }

    /** Only for a cluster listed in rotator.insecure-tls-allowed whose kubeconfig says insecure-skip-tls-verify. */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
