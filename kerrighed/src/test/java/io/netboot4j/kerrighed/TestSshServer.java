package io.netboot4j.kerrighed;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellFactory;

/** An in-process Apache MINA SSHD server on 127.0.0.1 that runs commands with /bin/sh. */
final class TestSshServer implements AutoCloseable {

    static final String USER = "krg";

    final SshServer server;
    final KeyPair hostKey;
    final KeyPair clientKey;

    TestSshServer(String password) throws IOException, GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        hostKey = gen.generateKeyPair();
        clientKey = gen.generateKeyPair();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(List.of(hostKey)));
        server.setPasswordAuthenticator((user, pw, session) -> USER.equals(user) && password.equals(pw));
        server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && samePublic(key, clientKey.getPublic()));
        // Like OpenSSH: the command line goes to the account's shell.
        server.setCommandFactory((channel, command) -> new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel));
        server.start();
    }

    private static boolean samePublic(PublicKey a, PublicKey b) {
        return java.util.Arrays.equals(a.getEncoded(), b.getEncoded());
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
