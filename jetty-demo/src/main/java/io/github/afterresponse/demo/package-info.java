/**
 * The bulk mailer, the project's main demo: a person selects customers, writes a mail and clicks
 * Send; the page answers at once and the mails go out afterwards, in the toolkit's continuation of
 * that request.
 *
 * <ul>
 *   <li>{@link io.github.afterresponse.demo.BulkMailer} starts everything and is the jar's main;
 *       {@link io.github.afterresponse.demo.DemoOptions} holds every setting.</li>
 *   <li>{@code campaign}: creating, sending, pausing, resuming and cancelling campaigns, and
 *       resuming what a stop left unfinished.</li>
 *   <li>{@code store}: customers, campaigns and recipients in H2 or PostgreSQL, migrated by Flyway.</li>
 *   <li>{@code mail}: SMTP with Jakarta Mail (a connection pool, a rate and window limiter, the
 *       personalised messages) and the embedded GreenMail server with its outbox.</li>
 *   <li>{@code web}: the pages, the JSON API, CSRF protection and the toolkit's filter.</li>
 * </ul>
 */
package io.github.afterresponse.demo;
