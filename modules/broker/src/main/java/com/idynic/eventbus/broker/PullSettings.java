package com.idynic.eventbus.broker;

/**
 * Pull delivery ({@code eventbus.pull.*}).
 *
 * @param maxLongPollsPerService pulls with a wait one service may hold at once; more are refused, e.g. 8
 * @since 0.8.0
 */
public record PullSettings(int maxLongPollsPerService) {}
