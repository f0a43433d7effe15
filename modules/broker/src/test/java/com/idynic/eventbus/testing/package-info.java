/** Test support shared by the server modules' unit tests through broker's test-jar: no production code uses it. */
package com.idynic.eventbus.testing;
