/**
 * The {@code eventbus} command line ({@code ./eventbus publish …}): {@link com.idynic.eventbus.cli.Main} parses
 * the arguments and runs one command against the bus's REST API, the same operations the console and the SDK
 * call. Exit codes are listed in {@link com.idynic.eventbus.cli.ExitCode}.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.cli;
