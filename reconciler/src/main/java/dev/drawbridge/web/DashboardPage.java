package dev.drawbridge.web;

import java.util.List;

/**
 * What the dashboard ({@code /}) shows: one card per environment, in the configuration's order.
 *
 * @param environments the cards
 * @param next         the first priority of all (the single fix that unblocks the most); null when there is none
 * @param shownAt      when the page was made (the server's clock)
 */
record DashboardPage(List<EnvironmentCard> environments, InsightPages.PriorityRow next, Moment shownAt) {
}
