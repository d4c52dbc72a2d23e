package eu.gov.intake.auth;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Applications;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A revoked key stops working on an instance that had it cached, within the key cache TTL (1 s here, 30 s at most). */
@ExtendWith(IntakeTestRun.class)
class KeyRevocationIT {
  @Test
  void aRevokedKeyIsRefusedOnceTheCacheEntryExpiresWhileTheClientsOtherKeyWorks(TestIntake intake) {
    var pg = new PgProbe(intake.pgUrl());
    var pool = pg.pool();
    try {
      String clientId = "rev-" + UUID.randomUUID().toString().substring(0, 8);
      var keys = new ApiKeys(pool);
      new Clients(pool).upsertChannel(clientId, List.of("WEB"), 1000, 1000).await();
      var old = keys.issue(clientId).await();
      var rotated = keys.issue(clientId).await();
      assertThat(submit(intake, old.value())).isEqualTo(202);          // now in the instance's cache

      assertThat(keys.revoke(old.prefix()).await()).isTrue();

      int status = 202;
      for (int i = 0; i < 300 && status != 401; i++) {                  // bounded: 30 s at the very most
        status = submit(intake, old.value());
        if (status != 401) LockSupport.parkNanos(100_000_000);
      }
      assertThat(status).isEqualTo(401);
      assertThat(submit(intake, rotated.value())).isEqualTo(202);       // rotation: the other key goes on working
      assertThat(keys.revoke(old.prefix()).await()).isFalse();          // revoking twice changes nothing
    } finally {
      pg.close();
    }
  }

  private static int submit(TestIntake intake, String key) {
    return Http.submit(intake.apiPort(), key, "k-" + UUID.randomUUID(),
        Applications.taxReturn(Applications.freshApplicant()).encode()).statusCode();
  }
}
