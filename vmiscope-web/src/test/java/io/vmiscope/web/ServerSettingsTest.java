package io.vmiscope.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ServerSettings}: a fresh token by default, on every address; none only on loopback. */
class ServerSettingsTest {

    @Test
    void withToken_givesAFreshRandomTokenEachTime_alsoOnLoopback() {
        String first = ServerSettings.withToken("127.0.0.1", 0).token().orElseThrow();
        String second = ServerSettings.withToken("127.0.0.1", 0).token().orElseThrow();

        assertThat(first).matches("[0-9a-f]{48}").isNotEqualTo(second);
    }

    @Test
    void withoutToken_isAllowedOnLoopbackAddresses_only() {
        assertThat(ServerSettings.withoutToken("127.0.0.1", 0).token()).isEmpty();
        assertThat(ServerSettings.withoutToken("127.0.0.2", 0).token()).isEmpty();
        assertThat(ServerSettings.withoutToken("::1", 0).token()).isEmpty();
        assertThatThrownBy(() -> ServerSettings.withoutToken("0.0.0.0", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--no-token is for loopback addresses only: on 0.0.0.0 anyone who reaches the port could "
                        + "use the API");
    }
}
