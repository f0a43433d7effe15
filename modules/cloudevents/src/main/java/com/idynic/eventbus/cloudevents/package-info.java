/** CloudEvents 1.0 in and out of the bus: the mapping to and from the seed's envelope, in one place. */
package com.idynic.eventbus.cloudevents;
