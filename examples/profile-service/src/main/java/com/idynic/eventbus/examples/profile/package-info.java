/** An example service co-deployed with the bus on the same Liberty server. */
package com.idynic.eventbus.examples.profile;
