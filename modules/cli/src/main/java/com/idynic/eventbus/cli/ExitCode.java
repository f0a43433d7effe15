package com.idynic.eventbus.cli;

/** The CLI's exit codes, one meaning each, so scripts can tell a refused request from an unreachable bus. */
public final class ExitCode {
    /** The command did what it was asked. */
    public static final int OK = 0;

    /** A check failed: smoke-test FAIL, a replay that ended other than done, a listen that could not forward. */
    public static final int FAILED = 1;

    /** The arguments are wrong (unknown command or option, missing argument, JSON that is not an object). */
    public static final int USAGE = 2;

    /** The bus refused the request (4xx other than 429): its error JSON is printed on stderr. */
    public static final int REFUSED = 3;

    /** The bus did not answer, answered 5xx or 429 (retry later): printed on stderr. */
    public static final int UNAVAILABLE = 4;

    /** No API key: neither --api-key, EVENTBUS_API_KEY nor the dev admin key file. */
    public static final int NO_CREDENTIALS = 5;

    private ExitCode() {}
}
