// Package diagram writes directed graphs as Graphviz DOT and Mermaid
// flowcharts: the one writer of the identity attack paths and the network
// paths (vigil identity paths, vigil reach), so both render alike.
package diagram
