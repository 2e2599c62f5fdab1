package io.netboot4j.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Request heads (RFC 9112), connection persistence, and HTTP dates in their three forms. */
class RequestHeadTest {

    @Test
    void parsesWhatIpxeAndOvmfSend() throws Exception {
        // iPXE's request for a kernel
        RequestHead r = RequestHead.parse("GET /vmlinuz HTTP/1.1\r\nConnection: keep-alive\r\nUser-Agent: iPXE/1.21.1+\r\n"
                + "Host: 10.97.0.1\r\n");
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.target()).isEqualTo("/vmlinuz");
        assertThat(r.minorVersion()).isEqualTo(1);
        assertThat(r.field("HOST")).contains("10.97.0.1");
        assertThat(r.keepAlive()).isTrue();
        assertThat(r.hasBody()).isFalse();
        RequestHead bare = RequestHead.parse("\r\nGET / HTTP/1.0\nAccept: a\nAccept: b");
        assertThat(bare.fields()).isEqualTo(Map.of("accept", "a, b"));
        assertThat(bare.keepAlive()).isFalse();
        assertThat(RequestHead.parse("GET / HTTP/1.0\r\nConnection: Keep-Alive").keepAlive()).isTrue();
        assertThat(RequestHead.parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close").keepAlive()).isFalse();
        assertThat(RequestHead.parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5").hasBody()).isTrue();
        assertThat(RequestHead.parse("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked").hasBody()).isTrue();
    }

    @Test
    void malformedHeadsAreRefusedWithTheirStatus() {
        for (String h : new String[] {"", "GET /", "GET / HTTP/1.1 x", "GET  / HTTP/1.1", "G(T / HTTP/1.1\r\nHost: x",
                "GET / HTTP/1.1", "GET / HTTP/1.1\r\nHost : x", "GET / HTTP/1.1\r\nHost: x\r\n folded", "GET / HTTP/x",
                "GET /\u0001 HTTP/1.1\r\nHost: x", "GET / HTTP/1.1\r\n: x\r\nHost: x"}) {
            assertThatThrownBy(() -> RequestHead.parse(h)).as(h).isInstanceOfSatisfying(RequestHead.Malformed.class,
                    m -> assertThat(m.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> RequestHead.parse("GET / HTTP/2.0\r\nHost: x")).isInstanceOfSatisfying(RequestHead.Malformed.class,
                m -> assertThat(m.status()).isEqualTo(505));
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x");
        for (int i = 0; i < RequestHead.MAX_FIELDS; i++) {
            many.append("\r\nX-").append(i).append(": y");
        }
        assertThatThrownBy(() -> RequestHead.parse(many.toString())).isInstanceOf(RequestHead.Malformed.class);
    }

    @Property
    void anyTextParsesOrIsRefusedAsMalformed(@ForAll String text) {
        try {
            RequestHead.parse(text);
        } catch (RequestHead.Malformed e) {
            assertThat(e.status()).isIn(400, 505);
        }
    }

    @Test
    void httpDatesInAllThreeForms() {
        Instant t = Instant.parse("1994-11-06T08:49:37Z");
        assertThat(HttpDates.format(t)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(t);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).contains(t);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).contains(t);
        assertThat(HttpDates.parse("yesterday")).isEmpty();
    }
}
