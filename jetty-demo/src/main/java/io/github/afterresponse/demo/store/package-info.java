/**
 * The database: {@link io.github.afterresponse.demo.store.Database} (H2 in file mode or any JDBC
 * URL, Flyway migrations, the seeded customers), {@link io.github.afterresponse.demo.store.CustomerStore}
 * and {@link io.github.afterresponse.demo.store.CampaignStore}, in SQL that H2 and PostgreSQL both take.
 */
package io.github.afterresponse.demo.store;
