/**
 * Sending mail: {@link io.github.afterresponse.demo.mail.SmtpPool} (reused Jakarta Mail connections),
 * {@link io.github.afterresponse.demo.mail.SendLimiter} (rate and sliding window over all campaigns),
 * {@link io.github.afterresponse.demo.mail.Letters} (placeholders, MIME, stable Message-IDs), and the
 * embedded SMTP server {@link io.github.afterresponse.demo.mail.EmbeddedSmtp} with its
 * {@link io.github.afterresponse.demo.mail.Outbox}.
 */
package io.github.afterresponse.demo.mail;
