package eu.gov.intake.failure;

import java.util.Locale;

/** A message a client may read, in both languages of the portal: zh-CN (the default) and en. */
public record Text(String en, String zh) {
  public String in(Lang lang) { return lang == Lang.EN ? en : zh; }

  /** The language a client asked for with {@code Accept-Language}: en when it prefers English, else zh-CN. */
  public enum Lang {
    ZH, EN;

    public static Lang fromAcceptLanguage(String header) {
      if (header == null) return ZH;
      for (String range : header.split(",")) {
        String tag = range.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (tag.startsWith("zh")) return ZH;
        if (tag.startsWith("en")) return EN;
      }
      return ZH;
    }

    public Locale locale() { return this == EN ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE; }
  }
}
