package com.idynic.eventbus.subscribers.delivery;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * Adds fields to the log records written on this thread while a line is logged, through Open Liberty's {@code
 * com.ibm.websphere.logging.hpel.LogRecordContext}: Liberty's JSON log shows each as {@code ext_<name>}. Found
 * by name at run time, so the core needs no Liberty jar; without Liberty (unit tests, another server) the
 * fields are simply not added and the line keeps them in its text.
 */
final class LogFields {
    private static final MethodHandle ADD;
    private static final MethodHandle REMOVE;

    static {
        MethodHandle add = null;
        MethodHandle remove = null;
        try {
            Class<?> c = Class.forName(
                    "com.ibm.websphere.logging.hpel.LogRecordContext", true, LogFields.class.getClassLoader());
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            add = lookup.findStatic(c, "addExtension", MethodType.methodType(void.class, String.class, String.class));
            remove = lookup.findStatic(c, "removeExtension", MethodType.methodType(boolean.class, String.class));
        } catch (ReflectiveOperationException | LinkageError | SecurityException notLiberty) {
            add = null;
            remove = null;
        }
        ADD = add;
        REMOVE = remove;
    }

    private LogFields() {}

    /** Runs {@code log} with {@code fields} on this thread's log records, and removes them afterwards. */
    static void around(Map<String, String> fields, Runnable log) {
        if (ADD == null) {
            log.run();
            return;
        }
        try {
            fields.forEach((name, value) -> quietly(() -> ADD.invoke(name, value)));
            log.run();
        } finally {
            fields.keySet().forEach(name -> quietly(() -> REMOVE.invoke(name)));
        }
    }

    /** A call into the logging runtime that must never fail the delivery it logs. */
    private interface Call {
        void run() throws Throwable;
    }

    private static void quietly(Call c) {
        try {
            c.run();
        } catch (RuntimeException | LinkageError ignored) {
            // the line is still written, with its fields in its text
        } catch (Error e) {
            throw e;
        } catch (Throwable ignored) {
            // checked exceptions cannot come from these two methods
        }
    }
}
