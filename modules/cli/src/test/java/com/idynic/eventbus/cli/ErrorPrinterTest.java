package com.idynic.eventbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class ErrorPrinterTest {
    @Test
    void printsTheBusErrorCodeMessageAndEveryDetail() {
        BusError e = new BusError(
                400,
                FakeBus.json(
                        "{\"status\":\"error\",\"errorCode\":\"SCHEMA_VALIDATION_ERROR\",\"message\":\"Event data does"
                                + " not match schema for event type"
                                + " 'user.created'\",\"details\":{\"field\":\"data.email\",\"error\":\"must be a valid"
                                + " email address\",\"schemaVersion\":1}}"),
                "");

        assertEquals(
                "error: 400 SCHEMA_VALIDATION_ERROR: Event data does not match schema for event type 'user.created'\n"
                        + "  field: data.email\n"
                        + "  error: must be a valid email address\n"
                        + "  schemaVersion: 1\n",
                ErrorPrinter.format(e));
        assertEquals(ExitCode.REFUSED, e.exitCode());
    }

    @Test
    void anAnswerThatIsNotTheErrorJsonIsShownAsItCame() {
        BusError e = new BusError(502, null, "<html>Bad Gateway</html>\n");

        assertEquals("error: HTTP 502: <html>Bad Gateway</html>\n", ErrorPrinter.format(e));
        assertEquals(ExitCode.UNAVAILABLE, e.exitCode());
    }

    @Test
    void jsonWithoutAnErrorCodeIsShownAsItCame() {
        BusError e = new BusError(404, FakeBus.json("{\"error\":\"no such page\"}"), "{\"error\":\"no such page\"}");

        assertEquals("error: HTTP 404: {\"error\":\"no such page\"}\n", ErrorPrinter.format(e));
    }

    @Test
    void noAnswerSaysWhereItTried() {
        BusError e = BusError.unreachable("http://127.0.0.1:9", new ConnectException("Connection refused"));

        assertEquals("error: cannot reach the bus at http://127.0.0.1:9: Connection refused\n", ErrorPrinter.format(e));
        assertEquals(ExitCode.UNAVAILABLE, e.exitCode());
    }

    @Test
    void rateLimitingIsUnavailableNotRefused() {
        BusError e = new BusError(429, FakeBus.json("{\"errorCode\":\"RATE_LIMITED\",\"message\":\"slow down\"}"), "");

        assertEquals("error: 429 RATE_LIMITED: slow down\n", ErrorPrinter.format(e));
        assertEquals(ExitCode.UNAVAILABLE, e.exitCode());
    }
}
