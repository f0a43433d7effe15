package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryParametersTest {
    static class Sample {
        public void search(
                @PathParam("id") String id,
                @QueryParam("type") String type,
                @QueryParam("limit") @DefaultValue("100") int limit,
                @QueryParam("after") long after) {}

        public void find(@PathParam("id") String id) {}
    }

    @Test
    void anEndpointAllowsExactlyTheQueryParametersItDeclaresInTheirOrder() throws Exception {
        Set<String> allowed = QueryParameters.declared(
                        Sample.class.getMethod("search", String.class, String.class, int.class, long.class))
                .keySet();
        assertEquals(List.of("type", "limit", "after"), List.copyOf(allowed));
    }

    @Test
    void anEndpointWithoutQueryParametersDeclaresNone() throws Exception {
        assertEquals(Map.of(), QueryParameters.declared(Sample.class.getMethod("find", String.class)));
    }

    @Test
    void theSearchAllowsPagingWithAfter() throws Exception {
        Set<String> allowed = QueryParameters.declared(java.util.Arrays.stream(EventsResource.class.getMethods())
                        .filter(m -> m.getName().equals("search"))
                        .findFirst()
                        .orElseThrow())
                .keySet();
        assertEquals(Set.of("type", "correlationId", "traceId", "source", "from", "to", "limit", "after"), allowed);
    }

    @Test
    void aBooleanParameterTakesOnlyTrueOrFalse() {
        assertNull(QueryParameters.typeError(boolean.class, "true"));
        assertNull(QueryParameters.typeError(Boolean.class, "false"));
        assertEquals("must be true or false (got 'yes')", QueryParameters.typeError(boolean.class, "yes"));
        assertEquals("must be true or false (got '')", QueryParameters.typeError(boolean.class, ""));
        assertEquals("must be true or false (got 'TRUE')", QueryParameters.typeError(boolean.class, "TRUE"));
    }

    @Test
    void aNumberParameterTakesOnlyAWholeNumberThatFits() {
        assertNull(QueryParameters.typeError(int.class, "-5"));
        assertNull(QueryParameters.typeError(long.class, "9000000000"));
        assertEquals(
                "must be a whole number up to 2147483647 (got 'abc')", QueryParameters.typeError(int.class, "abc"));
        assertEquals(
                "must be a whole number up to 2147483647 (got '9000000000')",
                QueryParameters.typeError(int.class, "9000000000"));
        assertEquals("must be a whole number (got '1.5')", QueryParameters.typeError(long.class, "1.5"));
        assertNull(QueryParameters.typeError(String.class, "anything"));
    }
}
