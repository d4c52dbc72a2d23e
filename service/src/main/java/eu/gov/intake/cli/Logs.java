package eu.gov.intake.cli;

/**
 * Where log lines go, decided before the first logger exists: {@code serve} logs to stdout (what a container
 * runtime collects); every other command keeps stdout for its answer (a key, a listing, JSON) and logs to stderr.
 */
final class Logs {
  private Logs() {}

  static void forCommand(String[] args) {
    boolean serving = args.length > 0 && (args[0].equals("serve") || args[0].equals("dev"));
    if (System.getProperty("intake.log.target") == null) {
      System.setProperty("intake.log.target", serving ? "System.out" : "System.err");
    }
    // java.util.logging (the OpenTelemetry SDK's, the JDK's) into the same lines and format
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
  }

  /** Stops logging after the last line, so that the asynchronous appender writes what it still holds. */
  static void flush() {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) context.stop();
  }
}
