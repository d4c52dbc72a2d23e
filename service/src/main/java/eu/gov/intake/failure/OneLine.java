package eu.gov.intake.failure;

/**
 * A failure in one line for a log or a terminal, without data beyond the message: the class and the first line
 * of the message of the cause that says the most. Wrappers that say nothing of their own (no message, a
 * CompletionException, the OpenTelemetry SDK's "Unexpected configuration error") give way to their cause.
 */
public final class OneLine {
  private OneLine() {}

  public static String of(Throwable e) {
    Throwable cause = innermostTelling(e);
    return cause.getClass().getSimpleName() + message(cause).map(m -> ": " + m).orElse("");
  }

  /** Only the message, for failures whose class is no news to the reader (a bad setting, a schema behind). */
  public static String messageOf(Throwable e) {
    Throwable cause = innermostTelling(e);
    return message(cause).orElse(cause.getClass().getSimpleName());
  }

  public static Throwable innermostTelling(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause && (cause.getMessage() == null
        || cause instanceof java.util.concurrent.CompletionException || cause.getMessage().startsWith("Unexpected"))) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static java.util.Optional<String> message(Throwable cause) {
    return java.util.Optional.ofNullable(cause.getMessage()).flatMap(m -> m.lines().findFirst()).map(OneLine::withoutPasswords);
  }

  /** A library may put the URL it was given in its message: its password never reaches a log line. */
  static String withoutPasswords(String text) {
    return text.replaceAll("//([^:@/\\s]*):[^@/\\s]*@", "//$1:****@").replaceAll("(?i)(password=)[^\\s,;)&\"]+", "$1****");
  }
}
