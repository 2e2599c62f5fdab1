/** netboot4j examples: Runnable programs: the guide's six-node Kerrighed cluster in code, a virtual cluster demo. */
module io.netboot4j.examples {
    requires transitive io.netboot4j.core;
}
