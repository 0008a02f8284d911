/**
 * Campaigns as the pages and the API use them. {@link io.github.afterresponse.demo.campaign.CampaignService}
 * validates and stores a campaign, then registers its sending with {@code AfterResponse.of(request)};
 * {@link io.github.afterresponse.demo.campaign.CampaignRun} sends inside that continuation and
 * stops on a recipient boundary; the completion callback stores how the run ended;
 * {@link io.github.afterresponse.demo.campaign.Recovery} resumes at start-up what a stop left
 * unfinished.
 */
package io.github.afterresponse.demo.campaign;
