// Package biglist makes the synthetic list answers the benchmarks decode:
// items shaped like a shop's catalogue (text, numbers, a list, an escaped
// quote), so a figure measured in one package is comparable with another's.
package biglist
