package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
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
                Sample.class.getMethod("search", String.class, String.class, int.class, long.class));
        assertEquals(List.of("type", "limit", "after"), List.copyOf(allowed));
    }

    @Test
    void anEndpointWithoutQueryParametersDeclaresNone() throws Exception {
        assertEquals(Set.of(), QueryParameters.declared(Sample.class.getMethod("find", String.class)));
    }

    @Test
    void theSearchAllowsPagingWithAfter() throws Exception {
        Set<String> allowed = QueryParameters.declared(java.util.Arrays.stream(EventsResource.class.getMethods())
                .filter(m -> m.getName().equals("search"))
                .findFirst()
                .orElseThrow());
        assertEquals(Set.of("type", "correlationId", "source", "from", "to", "limit", "after"), allowed);
    }
}
