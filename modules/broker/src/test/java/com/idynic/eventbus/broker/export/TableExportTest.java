package com.idynic.eventbus.broker.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableExportTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void csvQuotesCommasQuotesAndLineBreaksAndDoublesQuotes() {
        assertEquals("plain", TableExport.csvCell("plain"));
        assertEquals("\"a,b\"", TableExport.csvCell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", TableExport.csvCell("say \"hi\""));
        assertEquals("\"line1\nline2\"", TableExport.csvCell("line1\nline2"));
        assertEquals("\"cr\rhere\"", TableExport.csvCell("cr\rhere"));
        assertEquals("", TableExport.csvCell(null));
        assertEquals("", TableExport.csvCell(""));
    }

    @Test
    void csvDefusesCellsASpreadsheetWouldRunAsFormulas() {
        assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", TableExport.csvCell("=HYPERLINK(\"x\")"));
        assertEquals("'+1", TableExport.csvCell("+1"));
        assertEquals("'-2+3", TableExport.csvCell("-2+3"));
        assertEquals("'@SUM(A1)", TableExport.csvCell("@SUM(A1)"));
        assertEquals("'\tx", TableExport.csvCell("\tx"));
        assertEquals("\"'=1,2\"", TableExport.csvCell("=1,2"), "prefixed, then quoted");
        assertEquals("a=b", TableExport.csvCell("a=b"), "only a leading sign counts");
    }

    @Test
    void aCsvExportHasAHeaderAndOneCrLfLinePerRow() {
        try (TableExport t = TableExport.open(TableExport.Format.CSV, List.of("id", "n", "ok", "error"), out)) {
            assertTrue(t.row(Arrays.asList("e1", 3, true, "HTTP 503, \"down\"")));
            assertTrue(t.row(Arrays.asList("e2", 0, false, null)));
        }
        assertEquals("id,n,ok,error\r\ne1,3,true,\"HTTP 503, \"\"down\"\"\"\r\ne2,0,false,\r\n", text());
    }

    @Test
    void aJsonExportKeepsTypesAndNestedJsonAndSaysHowManyRows() {
        JsonObject event = Json.createObjectBuilder().add("id", "e1").build();
        try (TableExport t =
                TableExport.open(TableExport.Format.JSON, List.of("id", "n", "ok", "error", "event"), out)) {
            t.row(Arrays.asList("e1", 3L, true, null, event));
        }
        JsonObject o = Json.createReader(new StringReader(text())).readObject();
        assertEquals(
                Json.createReader(new StringReader(
                                "{\"columns\":[\"id\",\"n\",\"ok\",\"error\",\"event\"],\"rows\":[{\"id\":\"e1\",\"n\":3,"
                                        + "\"ok\":true,\"error\":null,\"event\":{\"id\":\"e1\"}}],\"exported\":1,"
                                        + "\"truncated\":false}"))
                        .readObject(),
                o);
    }

    @Test
    void anExportStopsAtTheRowLimitAndSaysItWasTruncated() {
        try (TableExport t = TableExport.open(TableExport.Format.JSON, List.of("i"), out)) {
            for (int i = 0; i < TableExport.MAX_ROWS; i++) {
                assertTrue(t.row(List.of(i)));
            }
            assertFalse(t.row(List.of(-1)));
            assertTrue(t.truncated());
        }
        JsonObject o = Json.createReader(new StringReader(text())).readObject();
        assertEquals(TableExport.MAX_ROWS, o.getJsonArray("rows").size());
        assertEquals(TableExport.MAX_ROWS, o.getInt("exported"));
        assertTrue(o.getBoolean("truncated"));
    }

    @Test
    void anUnknownFormatIsRefusedNamingFormat() {
        assertEquals(TableExport.Format.CSV, TableExport.Format.parse("CSV"));
        assertEquals(TableExport.Format.JSON, TableExport.Format.parse("json"));
        BusException e = assertThrows(BusException.class, () -> TableExport.Format.parse("xlsx"));
        assertEquals("format", e.details().get("field"));
        assertThrows(BusException.class, () -> TableExport.Format.parse(null));
    }
}
