package eu.gov.intake.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The migrations as released: every file matches the SHA-256 listed for it, in ascending versions. */
class MigrationsTest {
  @Test
  void everyReleasedMigrationStillMatchesItsListedChecksum() throws Exception {
    var all = Migrations.readAll();  // throws SchemaMismatch naming the file that was edited
    assertThat(all).hasSizeGreaterThanOrEqualTo(6);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).version()).as(all.get(i).name()).isEqualTo(i + 1);
      assertThat(all.get(i).checksum()).hasSize(64);
    }
  }
}
