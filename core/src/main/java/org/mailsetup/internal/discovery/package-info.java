/**
 * One lookup from start to answer: {@code Discovery} starts every {@code Source} under one deadline, merges
 * their candidates, schedules probes, and orders the answers by the rules in {@code Ranking}.
 */
package org.mailsetup.internal.discovery;
