package eu.gov.intake.publish;

import eu.gov.intake.catalog.Department;
import eu.gov.intake.config.KafkaSettings.TopicSettings;
import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the catalog's departments have their topics before a catalog version is served: an application
 * for a department whose topic is missing goes to the dead-letter topic, which a department just added must
 * not see. Creation that fails (no right to create topics) is logged and tried again with the next version or
 * the next refresh; at start it stops the instance. Where topics are managed elsewhere
 * ({@code INTAKE_KAFKA_CREATE_TOPICS=false}) nothing is created: a department whose topic is missing
 * dead-letters its applications, and only the shared topics must be there at start.
 */
public final class DepartmentTopics {
  private static final Logger LOG = LoggerFactory.getLogger(DepartmentTopics.class);
  private final KafkaAdminClient admin;
  private final KnownTopics known;
  private final TopicSettings settings;
  private volatile Set<String> ensured = Set.of();
  private volatile Throwable lastFailure;

  public DepartmentTopics(KafkaAdminClient admin, KnownTopics known, TopicSettings settings) {
    this.admin = admin;
    this.known = known;
    this.settings = settings;
  }

  /** Creates what is missing; never fails (see {@link #required}). */
  public Future<Void> ensure(Collection<Department> departments) {
    var wanted = departments.stream().map(Department::topic).collect(Collectors.toUnmodifiableSet());
    if (wanted.equals(ensured) || !settings.create()) return Future.succeededFuture();
    return Topics.ensure(admin, wanted, settings)
        .onSuccess(done -> {
          ensured = wanted;
          lastFailure = null;
          known.created(wanted);
        })
        .onFailure(e -> {
          lastFailure = e;
          LOG.warn("department topics not created ({}): their applications go to {} until they exist", e.toString(), Topics.DEAD_LETTER);
        })
        .otherwise(e -> null);
  }

  /** Fails if the topics of these departments could not be made: at start, an instance must not serve without them. */
  public Future<Void> required(Collection<Department> departments) {
    if (!settings.create()) {
      return admin.listTopics().compose(existing -> {
        var missing = Topics.SHARED.stream().filter(t -> !existing.contains(t)).toList();
        var departmentsMissing = departments.stream().map(Department::topic).filter(t -> !existing.contains(t)).sorted().toList();
        if (!departmentsMissing.isEmpty()) {
          LOG.warn("{} department topics do not exist and INTAKE_KAFKA_CREATE_TOPICS=false: their applications go to {} until "
              + "they are made: {}", departmentsMissing.size(), Topics.DEAD_LETTER, departmentsMissing);
        }
        return missing.isEmpty() ? Future.<Void>succeededFuture() : Future.failedFuture(new IllegalStateException(
            "the topics " + missing + " do not exist and INTAKE_KAFKA_CREATE_TOPICS=false: make them first"));
      });
    }
    return ensure(departments).compose(done -> lastFailure == null ? Future.succeededFuture() : Future.failedFuture(lastFailure));
  }
}
