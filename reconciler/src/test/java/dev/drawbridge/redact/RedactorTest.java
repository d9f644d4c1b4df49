package dev.drawbridge.redact;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    @Test
    void hidesTheUserinfoOfEveryUrlInAText() {
        String text = "fetch https://deploy:s3cr%40t@git.example.com/a.git failed, then http://TOKEN123@mirror/b";

        assertThat(Redactor.patterns().redact(text))
                .isEqualTo("fetch https://***@git.example.com/a.git failed, then http://***@mirror/b");
    }

    @Test
    void hidesCredentialsInAQueryStringButKeepsTheOtherParameters() {
        String text = "GET https://api.example.com/v4/x?page=2&private_token=glpat-abc123&access_token=xyz&sort=asc";

        assertThat(Redactor.patterns().redact(text))
                .isEqualTo("GET https://api.example.com/v4/x?page=2&private_token=****&access_token=****&sort=asc");
    }

    @Test
    void hidesTheValueOfAuthorizationHeadersWhateverTheScheme() {
        assertThat(Redactor.patterns().redact("sent Authorization: Bearer ghp_abcdef123456 to the API"))
                .isEqualTo("sent Authorization: **** to the API");
        assertThat(Redactor.patterns().redact("authorization=token 0123456789abcdef, retrying"))
                .isEqualTo("authorization=****, retrying");
        assertThat(Redactor.patterns().redact("headers {PRIVATE-TOKEN: glpat-xyz987}"))
                .isEqualTo("headers {PRIVATE-TOKEN: ****}");
        assertThat(Redactor.patterns().redact("\"Proxy-Authorization\": \"Basic dXNlcjpwYXNz\""))
                .isEqualTo("\"Proxy-Authorization\": \"****\"");
    }

    @Test
    void hidesBearerAndBasicCredentialsInAMessage() {
        assertThat(Redactor.patterns().redact("token rejected: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig-1 (expired)"))
                .isEqualTo("token rejected: Bearer **** (expired)");
        assertThat(Redactor.patterns().redact("tried Basic dXNlcjpwYXNzd29yZA== first"))
                .isEqualTo("tried Basic **** first");
    }

    @Test
    void leavesWordsAfterBearerOrBasicThatAreNoCredential() {
        String text = "the registry's Bearer challenge names no realm; Bearer realm=\"https://auth\"; basic authentication-required";

        assertThat(Redactor.patterns().redact(text)).isEqualTo(text);
    }

    @Test
    void hidesKnownSecretsAsGivenStrippedAndUrlDecoded() {
        Redactor redactor = Redactor.of(" p@ss/word \n", null, "");

        assertThat(redactor.redact("a p@ss/word b")).isEqualTo("a **** b");
        assertThat(Redactor.of("p%40ss").redact("got p@ss and p%40ss")).isEqualTo("got **** and ****");
    }

    @Test
    void hidesTheTokenOfAGitUrlButNotTheUserNameOfAnSshUrl() {
        assertThat(Redactor.patterns().withUrl("https://ghp_tok3n@github.com/o/r.git", false).redact("echo ghp_tok3n"))
                .isEqualTo("echo ****");
        assertThat(Redactor.patterns().withUrl("https://deploy:pa%24s@host/r.git", false).redact("pa$s and pa%24s, deploy"))
                .isEqualTo("**** and ****, deploy");
        assertThat(Redactor.patterns().withUrl("ssh://git@host/r.git", false).redact("user git")).isEqualTo("user git");
    }

    @Test
    void hidesAWebhookUrlAndTheTokenInItsPath() {
        Redactor redactor = Redactor.patterns().withUrl("https://hooks.slack.com/services/T0/B0/XyZ\n", true);

        assertThat(redactor.redact("POST https://hooks.slack.com/services/T0/B0/XyZ: 404 for /services/T0/B0/XyZ"))
                .isEqualTo("POST ****: 404 for /****");
    }

    @Test
    void hidesEverythingBeforeTheLastAtOfAMalformedUrl() {
        assertThat(Redactor.redactUrl("https://user:p/w@d@host/x")).isEqualTo("https://***@host/x");
        assertThat(Redactor.redactUrl("https://host/x")).isEqualTo("https://host/x");
    }

    @Test
    void stripsUserinfoWhenAskedTo() {
        assertThat(Redactor.stripUserinfo("from https://u:p@host/x")).isEqualTo("from https://host/x");
    }

    @Test
    void redactsEveryMessageOfAChainAndKeepsClassesAndStackTraces() {
        IOException root = new IOException("401 for https://u:hunter2@host/x");
        RuntimeException top = new RuntimeException("fetch failed: hunter2", root);

        Throwable copy = Redactor.of("hunter2").redactChain(top);

        assertThat(copy.toString()).isEqualTo("java.lang.RuntimeException: fetch failed: ****");
        assertThat(copy.getCause().getMessage()).isEqualTo("401 for https://***@host/x");
        assertThat(((Redactor.RedactedCause) copy.getCause()).originalClass()).isEqualTo("java.io.IOException");
        assertThat(copy.getStackTrace()).isEqualTo(top.getStackTrace());
    }

    @Test
    void summarisesAChainWithoutRepeatingMessagesOrTheNamedUrl() {
        Exception e = new Exception("https://***@host/x: cannot open", new java.net.UnknownHostException("host"));

        assertThat(Redactor.patterns().summary(e, "https://***@host/x")).isEqualTo("cannot open: unknown host host");
    }
}
