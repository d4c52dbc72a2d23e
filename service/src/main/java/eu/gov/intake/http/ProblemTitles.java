package eu.gov.intake.http;

import eu.gov.intake.failure.Text.Lang;
import java.util.Map;

/** The short, fixed title of each problem kind in zh-CN (the default) and en. */
final class ProblemTitles {
  private record Title(String zh, String en) {}

  private static final Map<String, Title> TITLES = Map.ofEntries(
      Map.entry("malformed-request", new Title("请求格式错误", "Malformed request")),
      Map.entry("unauthenticated", new Title("未认证", "Unauthenticated")),
      Map.entry("forbidden", new Title("无权操作", "Forbidden")),
      Map.entry("not-found", new Title("资源不存在", "Not found")),
      Map.entry("unknown-service", new Title("事项不存在或已关闭", "Unknown or closed service")),
      Map.entry("invalid-application", new Title("申请内容无效", "Invalid application")),
      Map.entry("request-in-progress", new Title("请求正在处理中", "Request in progress")),
      Map.entry("idempotency-key-reused", new Title("幂等键已用于其他请求", "Idempotency-Key reused")),
      Map.entry("unsupported-media-type", new Title("不支持的内容类型", "Unsupported media type")),
      Map.entry("payload-too-large", new Title("请求体过大", "Payload too large")),
      Map.entry("headers-too-large", new Title("请求头过大", "Request headers too large")),
      Map.entry("method-not-allowed", new Title("不支持的请求方法", "Method not allowed")),
      Map.entry("uri-too-long", new Title("请求 URI 过长", "URI too long")),
      Map.entry("service-unavailable", new Title("服务暂时不可用", "Service temporarily unavailable")),
      Map.entry("overloaded", new Title("服务繁忙", "Overloaded")),
      Map.entry("shutting-down", new Title("实例正在停止", "Shutting down")),
      Map.entry("illegal-transition", new Title("不允许的状态变更", "Illegal status transition")),
      Map.entry("request-timeout", new Title("请求超时", "Request timeout")),
      Map.entry("rate-limited", new Title("请求过于频繁", "Too many requests")),
      Map.entry("internal-error", new Title("内部错误", "Internal error")));

  private ProblemTitles() {}

  static String of(String kind, Lang lang) {
    var title = TITLES.getOrDefault(kind, TITLES.get("internal-error"));
    return lang == Lang.EN ? title.en() : title.zh();
  }
}
