package io.vmiscope.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vmiscope.analysis.EventRow;

import java.util.List;

/**
 * An event as the API and the live stream show it (openapi.yaml, {@code Event}): its fields as JSON, and how a
 * table row reads it (label, summary, process name and path) as the analysis describes it.
 */
record EventView(String id, long timeNanos, String action, String kind, int pid, int tid, int ppid, long uid,
                 String process, String name, JsonNode fields, String source, String label, String summary,
                 String processName, String processPath) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static EventView of(EventRow r) {
        return new EventView(r.id(), r.timeNanos(), r.action(), r.kind(), r.pid(), r.tid(), r.ppid(), r.uid(),
                r.process(), r.name(), fields(r.fieldsJson()), r.source(), r.label(), r.summary(), r.processName(),
                r.processPath());
    }

    /** The stored fields; text that does not parse (it always should) is passed on as one string. */
    private static JsonNode fields(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(json);
        }
    }

    /** One event whole: {@code EventDetail} of openapi.yaml. */
    record Detail(String vm, String id, long timeNanos, String action, String kind, int pid, int tid, int ppid,
                  long uid, String process, String name, JsonNode fields, String source, String label, String summary,
                  String processName, String processPath, String original) {

        static Detail of(String vm, EventView e, String original) {
            return new Detail(vm, e.id(), e.timeNanos(), e.action(), e.kind(), e.pid(), e.tid(), e.ppid(), e.uid(),
                    e.process(), e.name(), e.fields(), e.source(), e.label(), e.summary(), e.processName(),
                    e.processPath(), original);
        }
    }

    /** A page of events: {@code EventPage} of openapi.yaml. */
    record Page(List<EventView> items, long total, int offset, int limit) {

        static Page of(io.vmiscope.analysis.Page<EventRow> page) {
            return new Page(page.items().stream().map(EventView::of).toList(), page.total(), page.offset(), page.limit());
        }
    }
}
