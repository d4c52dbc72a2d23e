package eu.gov.intake.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard JSON has the structure Grafana's dashboard model (schemaVersion 39) imports: a datasource
 * variable, panels on a 24-column grid without overlaps, each bound to that variable with PromQL targets,
 * and the rows ops teams look for. That every query is valid and has data is checked against a live Intake
 * and a real Prometheus by grafana/check.py (run by .ci/run).
 */
class GrafanaDashboardTest {
  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "gauge", "table", "bargauge", "row");

  private final JsonObject dashboard = read("grafana/dashboards/intake.json");

  @Test
  void hasTheModelsTopLevelFieldsAndADatasourceVariable() {
    assertThat(dashboard.getString("uid")).matches("[a-zA-Z0-9_-]{1,40}");
    assertThat(dashboard.getString("title")).isNotBlank();
    assertThat(dashboard.getInteger("schemaVersion")).isGreaterThanOrEqualTo(36);
    assertThat(dashboard.getJsonObject("time").getString("from")).startsWith("now-");
    var variables = dashboard.getJsonObject("templating").getJsonArray("list");
    assertThat(variables.stream().map(JsonObject.class::cast))
        .anySatisfy(v -> {
          assertThat(v.getString("name")).isEqualTo("datasource");
          assertThat(v.getString("type")).isEqualTo("datasource");
          assertThat(v.getString("query")).isEqualTo("prometheus");
        });
  }

  @Test
  void everyPanelIsOnTheGridBoundToTheDatasourceVariableWithQueries() {
    var ids = new HashSet<Integer>();
    var cells = new ArrayList<int[]>();
    for (var panel : panels()) {
      String title = panel.getString("title");
      assertThat(title).as("panel title").isNotBlank();
      assertThat(PANEL_TYPES).as(title).contains(panel.getString("type"));
      assertThat(ids.add(panel.getInteger("id"))).as("unique id of %s", title).isTrue();
      var grid = panel.getJsonObject("gridPos");
      int x = grid.getInteger("x");
      int y = grid.getInteger("y");
      int w = grid.getInteger("w");
      int h = grid.getInteger("h");
      assertThat(x).as(title).isBetween(0, 23);
      assertThat(x + w).as(title).isBetween(1, 24);
      assertThat(h).as(title).isPositive();
      for (int[] other : cells) {
        boolean overlaps = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
        assertThat(overlaps).as("%s overlaps another panel", title).isFalse();
      }
      cells.add(new int[] {x, y, w, h});
      if (panel.getString("type").equals("row")) continue;
      assertThat(panel.getJsonObject("datasource").getString("uid")).as(title).isEqualTo("${datasource}");
      JsonArray targets = panel.getJsonArray("targets");
      assertThat(targets).as(title).isNotEmpty();
      var refIds = new HashSet<String>();
      for (var target : targets.stream().map(JsonObject.class::cast).toList()) {
        assertThat(refIds.add(target.getString("refId"))).as("refIds of %s", title).isTrue();
        assertThat(target.getString("expr")).as(title).isNotBlank().contains("instance=~\"$instance\"");
      }
    }
  }

  @Test
  void hasTheRowsOpsTeamsLookFor() {
    var rows = panels().stream().filter(p -> p.getString("type").equals("row")).map(p -> p.getString("title")).toList();
    assertThat(rows).satisfiesExactly(
        r -> assertThat(r).contains("Traffic"), r -> assertThat(r).contains("Latency"), r -> assertThat(r).contains("Dependencies"),
        r -> assertThat(r).contains("Spool"), r -> assertThat(r).contains("JVM"));
  }

  @Test
  void provisioningPointsGrafanaAtThePrometheusAndTheDashboards() throws Exception {
    assertThat(Files.readString(eu.gov.intake.testing.RepoFiles.path("grafana/provisioning/datasources/prometheus.yml"))).contains("type: prometheus");
    assertThat(Files.readString(eu.gov.intake.testing.RepoFiles.path("grafana/provisioning/dashboards/intake.yml"))).contains("type: file").contains("path:");
  }

  private List<JsonObject> panels() {
    return dashboard.getJsonArray("panels").stream().map(JsonObject.class::cast).toList();
  }

  private static JsonObject read(String path) {
    try {
      return new JsonObject(Files.readString(eu.gov.intake.testing.RepoFiles.path(path)));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
