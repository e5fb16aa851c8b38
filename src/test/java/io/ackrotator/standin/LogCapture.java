package io.ackrotator.standin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects every log record of the JVM (the application's included) as text, stack traces and all. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** A capture not yet attached to any logger. */
    public static LogCapture detached() {
        LogCapture capture = new LogCapture();
        capture.setLevel(java.util.logging.Level.ALL);
        return capture;
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.setLevel(java.util.logging.Level.ALL);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder text = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " ");
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (record instanceof org.jboss.logmanager.ExtLogRecord ext) {
            message = ext.getFormattedMessage();
            String requestId = ext.getMdc("fcRequestId");
            if (requestId != null) {
                text.append("[").append(requestId).append("] ");
            }
        } else if (message != null && parameters != null && parameters.length > 0) {
            try {
                message = message.contains("%") ? String.format(message, parameters)
                        : java.text.MessageFormat.format(message, parameters);
            } catch (RuntimeException e) {
                message = message + " " + java.util.Arrays.toString(parameters);
            }
        }
        text.append(message);
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace);
        }
        lines.add(text.toString());
    }

    /** The lines captured so far, forgotten as they are returned. */
    public synchronized List<String> drain() {
        List<String> drained = List.copyOf(lines);
        lines.removeAll(drained);
        return drained;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
