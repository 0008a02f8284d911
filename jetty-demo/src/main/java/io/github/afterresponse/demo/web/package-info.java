/**
 * The web side: the pages, the JSON API ({@link io.github.afterresponse.demo.web.ApiServlet}),
 * cross-site request forgery protection ({@link io.github.afterresponse.demo.web.Csrf}) and
 * {@link io.github.afterresponse.demo.web.CampaignFilter}, the toolkit's filter for exactly the
 * requests that start sending.
 */
package io.github.afterresponse.demo.web;
