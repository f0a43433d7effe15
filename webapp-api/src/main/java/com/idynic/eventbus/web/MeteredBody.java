package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A request body as the JSON reader sees it: counted against the endpoint's size limit and charged to the
 * request's share of the {@link BodyBudget} as it arrives, so a chunked body (no {@code Content-Length}) is
 * bounded as well as a declared one. A refusal while reading surfaces as {@link Refused}, the
 * {@link IOException} a reader passes on.
 */
final class MeteredBody extends InputStream {
    private final InputStream in;
    private final long maxBytes;
    private final BodyBudget.Share share;
    private long read;
    private long charged;

    /**
     * @param in the request body
     * @param maxBytes the endpoint's limit
     * @param share where the bytes are charged
     */
    MeteredBody(InputStream in, long maxBytes, BodyBudget.Share share) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.share = share;
    }

    /**
     * Refuses a body whose declared length is over the limit, before a byte of it is read. Nothing is charged
     * for the declared length: bytes are charged as they arrive, so clients that declare large bodies and then
     * send slowly (or never) cannot hold the server's budget with bytes they have not sent.
     *
     * @param declaredLength the {@code Content-Length}, or -1 when the body is chunked
     * @throws BusException {@code PAYLOAD_TOO_LARGE} over the limit
     */
    void reserve(long declaredLength) {
        if (declaredLength > maxBytes) {
            throw tooLarge(maxBytes);
        }
    }

    /** @return bytes read so far */
    long bytesRead() {
        return read;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            read += n;
            if (read > maxBytes) {
                throw new Refused(tooLarge(maxBytes));
            }
            if (read > charged) {
                try {
                    share.charge(read - charged);
                } catch (BusException e) {
                    throw new Refused(e);
                }
                charged = read;
            }
        }
        return n;
    }

    /**
     * Reads and discards what the client is still sending, up to the limit, so that it receives the refusal
     * instead of a reset connection. Nothing read here is held or charged.
     */
    void drain() {
        read = discard(in, read, maxBytes);
    }

    /**
     * Reads and discards {@code in} until its end or until more than {@code maxBytes} were read in all.
     *
     * @param read bytes read from it before
     * @return bytes read from it in all
     */
    static long discard(InputStream in, long read, long maxBytes) {
        byte[] scratch = new byte[8192];
        try {
            while (read <= maxBytes) {
                int n = in.read(scratch, 0, (int) Math.min(scratch.length, maxBytes + 1 - read));
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (IOException gone) {
            // the client stopped sending; the refusal stands
        }
        return read;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    static BusException tooLarge(long maxBytes) {
        return new BusException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "Body exceeds the limit of " + maxBytes + " bytes",
                Map.of("limitBytes", maxBytes));
    }

    /** A refusal raised while the body is read, carried through the JSON reader. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        /** What the client is told. */
        final transient BusException refusal;

        Refused(BusException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }
    }
}
